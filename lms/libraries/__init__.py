"""Library activity documentation, the national leaderboard, data for mentors."""
