"""Models of knowledge (issue 6)."""
