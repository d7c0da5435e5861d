"""Customer health score and churn risk (BG/NBD) (issue 7)."""
