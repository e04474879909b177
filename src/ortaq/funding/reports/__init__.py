"""Project reports: indicator values, spending, evidence, review, reminders."""
