"""Who may see and run which cohort (rules registered in lms.authz). Organizers
run every cohort; trainers see the cohorts they are enrolled in as trainers."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import Library, User
from lms.authz import rule
from lms.cohorts.models import Cohort, Enrolment, TrainerScope


def visible_cohorts_query(user: User) -> sa.Select:
    """The scoped query for lists: the cohorts `user` may open, newest first."""
    query = sa.select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())
    if user.has_role("organizer"):
        return query
    return query.where(Cohort.id.in_(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id)))


def trainer_trainee_ids(trainer: User) -> sa.Select:
    """The trainees a trainer looks after (a subquery of user ids).

    In each cohort the trainer works in: every trainee when the trainer has no
    scope there (assigned to the whole cohort); otherwise the trainees of the
    provinces and named groups the trainer is assigned to."""

    mine = sa.select(Enrolment.cohort_id).where(Enrolment.user_id == trainer.id, Enrolment.role == "trainer")
    scoped = (
        sa.select(TrainerScope.id)
        .where(TrainerScope.trainer_id == trainer.id, TrainerScope.cohort_id == Enrolment.cohort_id)
        .correlate(Enrolment)
    )
    trainee_province = (
        sa.select(Library.province)
        .join(User, User.library_id == Library.id)
        .where(User.id == Enrolment.user_id)
        .correlate(Enrolment)
        .scalar_subquery()
    )
    matching = scoped.where(
        sa.or_(
            sa.and_(
                TrainerScope.kind == "group", TrainerScope.value == Enrolment.group_name, Enrolment.group_name != ""
            ),
            sa.and_(TrainerScope.kind == "province", TrainerScope.value == trainee_province),
        )
    )
    return sa.select(Enrolment.user_id).where(
        Enrolment.cohort_id.in_(mine), Enrolment.role == "trainee", sa.or_(~scoped.exists(), matching.exists())
    )


# -- managing a cohort -----------------------------------------------------------


def visible_trainees(viewer: User) -> sa.Select | None:
    """The trainees whose work `viewer` may see in reports: None for everyone
    (organizers), else a subquery of user ids (a trainer's own trainees)."""
    return None if viewer.has_role("organizer") else trainer_trainee_ids(viewer)


def sees_every_course(user: User) -> bool:
    """Staff open every current module; trainees those of their cohorts."""
    return bool(user.is_staff)


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
