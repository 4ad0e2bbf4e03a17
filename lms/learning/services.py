"""Course progress for one person, computed from the progress table in a fixed
number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from lms.accounts.models import User
from lms.coursepacks.models import Activity, Course
from lms.extensions import db
from lms.learning.models import Progress


@dataclass
class CourseProgress:
    course: Course
    activities: list[Activity]
    progress: dict[int, Progress] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.activities)

    @property
    def done(self) -> int:
        return sum(1 for a in self.activities if self.is_done(a))

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def completed(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def started(self) -> bool:
        return any(a.id in self.progress for a in self.activities)

    def is_done(self, activity: Activity) -> bool:
        row = self.progress.get(activity.id)
        return row is not None and row.completed

    def status(self, activity: Activity) -> str:
        row = self.progress.get(activity.id)
        return row.status if row else "not_started"

    @property
    def next_activity(self) -> Activity | None:
        return next((a for a in self.activities if not self.is_done(a)), None)


def course_progress(user: User, courses: list[Course]) -> list[CourseProgress]:
    """Progress of `user` in each course: two queries whatever the number of courses."""
    if not courses:
        return []
    course_ids = [c.id for c in courses]
    activities = list(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.course_id.in_(course_ids), Activity.archived.is_(False))
            .order_by(Activity.course_id, Activity.position)
        )
    )
    rows = db.session.scalars(
        sa.select(Progress).where(
            Progress.user_id == user.id, Progress.activity_id.in_([a.id for a in activities] or [0])
        )
    )
    progress = {row.activity_id: row for row in rows}
    by_course: dict[int, list[Activity]] = {cid: [] for cid in course_ids}
    for activity in activities:
        by_course[activity.course_id].append(activity)
    return [
        CourseProgress(
            course, by_course[course.id], {a.id: progress[a.id] for a in by_course[course.id] if a.id in progress}
        )
        for course in courses
    ]


def get_activity(course: Course, slug: str) -> Activity | None:
    return db.session.scalar(
        sa.select(Activity).where(Activity.course_id == course.id, Activity.slug == slug, Activity.archived.is_(False))
    )


def neighbours(activity: Activity, current: list[Activity]) -> tuple[Activity | None, Activity | None]:
    """The activities before and after `activity` among the course's current ones."""
    index = current.index(activity)
    previous = current[index - 1] if index > 0 else None
    following = current[index + 1] if index + 1 < len(current) else None
    return previous, following
