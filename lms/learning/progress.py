"""Progress: the one table every activity type writes its trainee's state to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from lms.coursepacks.models import Activity
from lms.extensions import db, utcnow
from lms.learning.models import Progress
from lms.signals import app_sender, module_completed, progress_changed

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
    was_complete = row.completed_at is not None
    row.status = status
    row.score = score
    if completed:
        row.completed_at = row.completed_at or when or utcnow()
    else:
        row.completed_at = None
    db.session.flush()
    app = app_sender()
    progress_changed.send(app, user_id=user_id, activity_id=activity_id, progress=row)
    if completed and not was_complete:
        course_id = _course_completed_by(user_id, activity_id)
        if course_id is not None:
            module_completed.send(app, user_id=user_id, course_id=course_id)
    return row


@dataclass(frozen=True)
class ProgressChange:
    user_id: int
    activity_id: int
    status: str
    completed: bool
    score: float | None = None


def record_many(changes: list[ProgressChange]) -> None:
    """`record_progress` for many rows at once, in a fixed number of queries
    (bulk release of grades); the same signals, once per row."""
    if not changes:
        return
    for change in changes:
        if change.status not in STATUSES:
            raise ValueError(f"unknown progress status {change.status!r}")
    pairs = [(c.user_id, c.activity_id) for c in changes]
    rows = {
        (row.user_id, row.activity_id): row
        for row in db.session.scalars(
            sa.select(Progress).where(sa.tuple_(Progress.user_id, Progress.activity_id).in_(pairs))
        )
    }
    now = utcnow()
    newly_complete: set[tuple[int, int]] = set()
    for change in changes:
        row = rows.get((change.user_id, change.activity_id))
        if row is None:
            row = rows[(change.user_id, change.activity_id)] = Progress(
                user_id=change.user_id, activity_id=change.activity_id
            )
            db.session.add(row)
        if change.completed and row.completed_at is None:
            newly_complete.add((change.user_id, change.activity_id))
        row.status, row.score = change.status, change.score
        row.completed_at = (row.completed_at or now) if change.completed else None
    db.session.flush()
    app = app_sender()
    for change in changes:
        progress_changed.send(
            app,
            user_id=change.user_id,
            activity_id=change.activity_id,
            progress=rows[(change.user_id, change.activity_id)],
        )
    for user_id, course_id in _courses_completed(newly_complete):
        module_completed.send(app, user_id=user_id, course_id=course_id)


def _courses_completed(pairs: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Of the (user, activity) pairs, the (user, course) whose every current
    activity is now complete (one query)."""
    if not pairs:
        return []
    users = sorted({user_id for user_id, _ in pairs})
    activity_course = dict(
        db.session.execute(sa.select(Activity.id, Activity.course_id).where(Activity.id.in_({a for _, a in pairs})))
        .tuples()
        .all()
    )
    wanted = {(user_id, activity_course[activity_id]) for user_id, activity_id in pairs}
    totals = dict(
        db.session.execute(
            sa.select(Activity.course_id, sa.func.count(Activity.id))
            .where(Activity.course_id.in_({c for _, c in wanted}), Activity.archived.is_(False))
            .group_by(Activity.course_id)
        )
        .tuples()
        .all()
    )
    done = db.session.execute(
        sa.select(Progress.user_id, Activity.course_id, sa.func.count(Progress.id))
        .join(Activity, Activity.id == Progress.activity_id)
        .where(
            Progress.user_id.in_(users),
            Activity.course_id.in_({c for _, c in wanted}),
            Activity.archived.is_(False),
            Progress.completed_at.is_not(None),
        )
        .group_by(Progress.user_id, Activity.course_id)
    ).tuples()
    return sorted(
        (user_id, course_id)
        for user_id, course_id, count in done
        if (user_id, course_id) in wanted and count == totals.get(course_id)
    )


def _course_completed_by(user_id: int, activity_id: int) -> int | None:
    """The course of `activity_id` when every current activity of it is now
    complete for the trainee, else None (one query)."""
    course_id = sa.select(Activity.course_id).where(Activity.id == activity_id).scalar_subquery()
    done = sa.func.count(Progress.completed_at)
    row = db.session.execute(
        sa.select(Activity.course_id, sa.func.count(Activity.id), done)
        .outerjoin(Progress, sa.and_(Progress.activity_id == Activity.id, Progress.user_id == user_id))
        .where(Activity.course_id == course_id, Activity.archived.is_(False))
        .group_by(Activity.course_id)
    ).first()
    return row[0] if row is not None and row[1] == row[2] else None


def progress_by_activity(user_id: int, activity_ids: list[int]) -> dict[int, Progress]:
    if not activity_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Progress).where(Progress.user_id == user_id, Progress.activity_id.in_(activity_ids))
    )
    return {row.activity_id: row for row in rows}
