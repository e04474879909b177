"""Councils: compositions, elections, meetings, protocols, recommendations (DOMAIN.md §6)."""
