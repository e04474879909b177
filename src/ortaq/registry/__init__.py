"""The NGO registry: profiles, verified ownership, the yearly NGO-database report."""
