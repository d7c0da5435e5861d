"""Evaluation of the alert detector: `python -m bench.alerts` (see __main__.py)."""
