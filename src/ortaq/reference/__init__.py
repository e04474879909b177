"""Reference data: regions (KATO), legal forms, activity areas, the MCI table."""
