"""Widgets, dialogs and map tools. Calls the core and Processing; holds no logic of its own."""
