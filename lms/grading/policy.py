"""Who may see and grade which submission (rules registered in lms.authz). Every read of someone's work goes
through here, so one test matrix covers every route and role."""

from __future__ import annotations

import sqlalchemy as sa

from lms.accounts.models import User
from lms.authz import rule
from lms.cohorts.policy import trainer_trainee_ids
from lms.extensions import db
from lms.grading.models import Submission


def visible_submissions(user: User) -> sa.Select:
    """A query of the submissions `user` may see."""
    query = sa.select(Submission)
    if user.has_role("organizer"):
        return query
    if user.role == "trainer":
        return query.where(Submission.user_id.in_(trainer_trainee_ids(user)))
    return query.where(Submission.user_id == user.id)


def gradable_submissions(user: User) -> sa.Select:
    """Trainers grade their cohorts' trainees; admins grade anyone."""
    if user.role == "admin":
        return sa.select(Submission)
    if user.role == "trainer":
        return sa.select(Submission).where(Submission.user_id.in_(trainer_trainee_ids(user)))
    return sa.select(Submission).where(sa.false())


@rule("grading.view_submission")
def can_view(user: User, submission: Submission) -> bool:
    if submission.user_id == user.id or user.has_role("organizer"):
        return True
    query = visible_submissions(user).where(Submission.id == submission.id).with_only_columns(Submission.id)
    return db.session.scalar(query) is not None


@rule("grading.grade")
def may_grade_at_all(user: User, _obj: object = None) -> bool:
    return user.role in ("trainer", "admin")


@rule("grading.see_queue")
def may_see_queue(user: User, _obj: object = None) -> bool:
    """The grading queue and grading pages (organizers read, trainers grade)."""
    return user.has_role("trainer", "organizer")
