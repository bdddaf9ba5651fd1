"""Third-party pure-Python modules shipped inside the plugin, unchanged (see README.md)."""
