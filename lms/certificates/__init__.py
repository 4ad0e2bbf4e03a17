"""Certificates of completion: issued when a participant completes every module
of a cohort, printed as PDF, verified in public by their code, revocable."""
