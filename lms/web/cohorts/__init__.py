"""Organizers' pages: cohorts and people (`people`), completion, exports, import
and reminders (`reports`), all on the `cohorts` blueprint."""

from lms.web.cohorts import people, reports
from lms.web.cohorts.blueprint import bp

__all__ = ["bp", "people", "reports"]
