"""Submissions, their files and drafts, grades, grade history, notifications."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.coursepacks.models import Activity
from lms.extensions import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from lms.accounts.models import User

SUBMISSION_STATUSES = ("submitted", "graded", "revise", "released")


class RubricVersion(Model):
    """A rubric as it was at one sync. A changed rubric makes a new version;
    grades keep the version they were given with."""

    __tablename__ = "rubric_version"
    __table_args__ = (sa.UniqueConstraint("activity_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activity.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activity: Mapped[Activity] = relationship()

    @property
    def criteria(self) -> list[dict[str, Any]]:
        return self.data["criteria"]


class Draft(Model):
    """The text a trainee is writing, saved on the server before submitting.

    `version` rises with every save; a save made from an older version is refused
    so that a stale autosave never overwrites newer text."""

    __tablename__ = "draft"
    __table_args__ = (sa.UniqueConstraint("user_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activity.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Submission(Model):
    __tablename__ = "submission"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "activity_id", "attempt"),
        sa.UniqueConstraint("user_id", "activity_id", "submit_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activity.id"), index=True)
    attempt: Mapped[int] = mapped_column(default=1)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="submitted", index=True)
    # Rises with every change; graders send the version they read (409 when stale).
    version: Mapped[int] = mapped_column(default=1)
    late: Mapped[bool] = mapped_column(default=False)
    # One key per submit form: a double click sends the same key twice.
    submit_key: Mapped[str | None] = mapped_column(sa.String(64))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
    activity: Mapped[Activity] = relationship()
    files: Mapped[list[SubmissionFile]] = relationship(
        back_populates="submission", order_by="SubmissionFile.id", cascade="all, delete-orphan"
    )
    grade: Mapped[Grade | None] = relationship(back_populates="submission", uselist=False)


class SubmissionFile(Model):
    __tablename__ = "submission_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="files")


class Grade(Model):
    __tablename__ = "grade"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), unique=True)
    rubric_version_id: Mapped[int] = mapped_column(sa.ForeignKey("rubric_version.id"))
    grader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    points: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    comments: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    feedback: Mapped[str] = mapped_column(sa.Text, default="")
    score: Mapped[float]
    max_score: Mapped[float]
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    submission: Mapped[Submission] = relationship(back_populates="grade")
    rubric_version: Mapped[RubricVersion] = relationship()
    grader: Mapped[User | None] = relationship()


class GradeEvent(Model):
    """The history of a submission's grade: who, when, old and new score."""

    __tablename__ = "grade_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(sa.String(20))
    old_score: Mapped[float | None]
    new_score: Mapped[float | None]
    rubric_version: Mapped[int | None]
    status: Mapped[str] = mapped_column(sa.String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()


class Notification(Model):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    message: Mapped[str] = mapped_column(sa.String(300))
    link: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
