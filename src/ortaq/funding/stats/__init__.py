"""Regional funding statistics (pages, export, API)."""
