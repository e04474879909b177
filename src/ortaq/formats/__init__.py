"""Date and number formats Django does not ship (FORMAT_MODULE_PATH)."""
