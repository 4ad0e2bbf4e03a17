"""Progress: the one table every activity type writes its trainee's state to."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from lms.extensions import db, utcnow
from lms.learning.models import Progress

# Where a trainee can stand on an activity. Types pick the ones that apply.
STATUSES = ("not_started", "in_progress", "submitted", "graded", "revise", "failed", "completed")


def get_progress(user_id: int, activity_id: int) -> Progress | None:
    return db.session.scalar(
        sa.select(Progress).where(Progress.user_id == user_id, Progress.activity_id == activity_id)
    )


def record_progress(
    user_id: int,
    activity_id: int,
    *,
    status: str,
    completed: bool,
    score: float | None = None,
    when: datetime | None = None,
) -> Progress:
    """Set a trainee's state on an activity. Completion, once reached, is kept
    unless the type says otherwise by passing completed=False explicitly with a
    status other than completed (a released grade can be regraded below pass)."""
    if status not in STATUSES:
        raise ValueError(f"unknown progress status {status!r}")
    row = get_progress(user_id, activity_id)
    if row is None:
        row = Progress(user_id=user_id, activity_id=activity_id)
        db.session.add(row)
    row.status = status
    row.score = score
    if completed:
        row.completed_at = row.completed_at or when or utcnow()
    else:
        row.completed_at = None
    db.session.flush()
    return row


def progress_by_activity(user_id: int, activity_ids: list[int]) -> dict[int, Progress]:
    if not activity_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Progress).where(Progress.user_id == user_id, Progress.activity_id.in_(activity_ids))
    )
    return {row.activity_id: row for row in rows}
