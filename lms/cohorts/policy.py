"""Who may see and run which cohort (rules registered in lms.authz). Organizers
run every cohort; trainers see the cohorts they are enrolled in as trainers."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import User
from lms.authz import rule
from lms.cohorts.models import Cohort, Enrolment


def visible_cohorts_query(user: User) -> sa.Select:
    """The scoped query for lists: the cohorts `user` may open, newest first."""
    query = sa.select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())
    if user.has_role("organizer"):
        return query
    return query.where(Cohort.id.in_(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id)))


@rule("cohorts.open")
def can_open(user: User, _cohort: Cohort | None = None) -> bool:
    """The cohort pages at all (which cohort: `visible_cohorts_query`)."""
    return user.has_role("trainer", "organizer")


@rule("cohorts.manage")
def can_manage(user: User, _cohort: Cohort | None = None) -> bool:
    """Create and edit cohorts, people, imports, reminders and certificates."""
    return user.has_role("organizer")


@rule("cohorts.change_members")
def can_change_members(user: User, cohort: Cohort) -> bool:
    """Enrol, remove, assign trainers: only while the cohort is not archived."""
    return can_manage(user) and not cohort.archived


@rule("cohorts.see_reports")
def can_see_reports(user: User, _cohort: Cohort | None = None) -> bool:
    """Dashboards, at-risk lists and exports (trainers see their own trainees)."""
    return user.has_role("trainer", "organizer")
