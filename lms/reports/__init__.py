"""Reporting: completion of a cohort, dashboards, exports, reminders."""
