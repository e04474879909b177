"""The append-only audit log of every write made through a service."""
