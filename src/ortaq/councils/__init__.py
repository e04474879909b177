"""Councils: compositions, elections, meetings, protocols, recommendations (docs/domain.md §6)."""
