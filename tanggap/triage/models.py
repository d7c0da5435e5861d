"""Models of triage (issue 7)."""
