"""Models of reviews (issue 6)."""
