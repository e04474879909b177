"""Monitoring visits, findings and photos (services.py); evaluation of effectiveness
(evaluation.py)."""
