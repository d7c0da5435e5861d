"""The next best action per customer, and a daily work list across customers (issue 7)."""
