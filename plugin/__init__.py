"""CityCode plugin code: core (no Qt widgets), processing (provider and algorithms), gui."""
