"""Models of surveys (issue 6)."""
