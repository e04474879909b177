"""Funding I: programmes, topic planning, competitions and lots, applications, compliance,
experts and their draw, scoring, decisions."""
