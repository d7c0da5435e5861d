"""Product recommendations from purchase history and profile rules (issue 7)."""
