"""/api/v1 endpoints of the organizers' area (cohort completion, participant import)."""
