"""Contracts made from funded applications: schedule, signing, amendments, tranches."""
