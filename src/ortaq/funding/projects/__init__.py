"""Public project pages, the map and the projects API."""
