"""/api/v1 endpoints of activity documentation (the leaderboard)."""
