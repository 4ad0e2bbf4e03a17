"""Models of activity documentation (filled in by the libraries issue)."""
