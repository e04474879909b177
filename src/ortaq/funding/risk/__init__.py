"""Risk signals: the nightly scan, the review, the pages (the pure measures are in
`funding/risk_measures.py`)."""
