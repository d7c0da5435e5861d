"""Knowledge-base search at 100,000 articles, and its ranking quality (issue 6)."""
