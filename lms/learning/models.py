"""What a trainee has done: progress per activity, quiz attempts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from lms.coursepacks.models import Activity


class Progress(Model):
    """One row per person per activity, written by the activity's type.

    `status` says where the trainee stands (not_started, in_progress, submitted,
    graded, revise, failed, completed); `completed_at` is set once the type's own
    completion rule is met. Dashboards read only this table, so they cost a fixed
    number of queries however large the cohort.
    """

    __tablename__ = "progress"
    __table_args__ = (sa.UniqueConstraint("user_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activity.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="in_progress")
    score: Mapped[float | None]
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    activity: Mapped[Activity] = relationship()

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


class QuizAttempt(Model):
    __tablename__ = "quiz_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activity.id"), index=True)
    activity_version: Mapped[int] = mapped_column(default=1)
    answers: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    correct: Mapped[int]
    total: Mapped[int]
    percent: Mapped[float]
    passed: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
