"""Cohorts, enrolment, milestone, and (later) dashboards, exports, certificates."""
