"""Models of loyalty (issue 6)."""
