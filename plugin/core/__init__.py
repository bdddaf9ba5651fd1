"""Core logic: code profiles, check characters, registry, engine. No Qt widgets; runs headless."""
