"""The agent inbox at scale (issue 5, benchmark 2)."""
