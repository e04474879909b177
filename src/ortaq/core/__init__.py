"""The frame every page shares: layout, home page, health check, demo data."""
