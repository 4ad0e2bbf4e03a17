"""The trainer's queue and dashboard figures."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts.models import User
from lms.cohorts.services import visible_cohorts
from lms.coursepacks.models import Activity, Course
from lms.extensions import db
from lms.grading import policy
from lms.grading.models import SUBMISSION_STATUSES, Submission
from lms.grading.notifications import unread_notifications


@dataclass
class QueueFilter:
    course: str | None = None
    activity: str | None = None
    status: str | None = None
    late: bool | None = None

    @classmethod
    def from_args(cls, args) -> QueueFilter:
        late = args.get("late")
        status = args.get("status")
        return cls(
            course=args.get("course") or None,
            activity=args.get("activity") or None,
            status=status if status in SUBMISSION_STATUSES else None,
            late={"1": True, "0": False}.get(late or ""),
        )


def _filtered(query: sa.Select, filters: QueueFilter) -> sa.Select:
    if filters.course or filters.activity:
        query = query.join(Activity, Activity.id == Submission.activity_id).join(Course)
        if filters.course:
            query = query.where(Course.slug == filters.course)
        if filters.activity:
            query = query.where(Activity.slug == filters.activity)
    if filters.late is not None:
        query = query.where(Submission.late.is_(filters.late))
    return query


def queue(user: User, filters: QueueFilter, page: int = 1, per_page: int = 50):
    """Oldest first, so nobody waits longest; a page at a time."""
    query = _filtered(policy.visible_submissions(user), filters)
    if filters.status:
        query = query.where(Submission.status == filters.status)
    else:
        query = query.where(Submission.status.in_(("submitted", "graded")))
    query = query.options(
        joinedload(Submission.user),
        joinedload(Submission.activity).joinedload(Activity.course),
        selectinload(Submission.grade),
    )
    return db.paginate(
        query.order_by(Submission.submitted_at, Submission.id), page=page, per_page=per_page, error_out=False
    )


def status_counts(user: User, filters: QueueFilter) -> dict[str, int]:
    query = _filtered(policy.visible_submissions(user), filters)
    query = query.with_only_columns(Submission.status, sa.func.count()).group_by(Submission.status)
    counts = {status: 0 for status in SUBMISSION_STATUSES}
    counts.update({status: n for status, n in db.session.execute(query)})
    return counts


def next_in_queue(user: User, after: Submission) -> Submission | None:
    query = policy.visible_submissions(user).where(
        Submission.status == "submitted",
        Submission.id != after.id,
        sa.or_(
            Submission.submitted_at > after.submitted_at,
            sa.and_(Submission.submitted_at == after.submitted_at, Submission.id > after.id),
        ),
    )
    found = db.session.scalar(query.order_by(Submission.submitted_at, Submission.id).limit(1))
    if found is None:
        found = db.session.scalar(
            policy.visible_submissions(user)
            .where(Submission.status == "submitted", Submission.id != after.id)
            .order_by(Submission.submitted_at, Submission.id)
            .limit(1)
        )
    return found


def staff_dashboard_context(user: User) -> dict[str, Any]:
    return {
        "cohorts": visible_cohorts(user),
        "counts": status_counts(user, QueueFilter()),
        "notifications": unread_notifications(user),
    }
