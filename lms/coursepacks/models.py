"""Courses and activities as synced from course packs. The files are the source;
these rows are what progress, submissions and grades point at."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import Model, UTCDateTime, utcnow


class Course(Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    order: Mapped[int] = mapped_column(default=0)
    hours: Mapped[int] = mapped_column(default=0)
    language: Mapped[str] = mapped_column(sa.String(10), default="id")
    source_path: Mapped[str] = mapped_column(sa.String(500), default="")
    archived: Mapped[bool] = mapped_column(default=False)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    activities: Mapped[list[Activity]] = relationship(back_populates="course", order_by="Activity.position")

    @property
    def current_activities(self) -> list[Activity]:
        return [a for a in self.activities if not a.archived]


class Activity(Model):
    __tablename__ = "activity"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    type: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    # What the activity type read from the pack (questions, due dates, ...).
    config: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    # Rendered and sanitised once per version, not on every view.
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    content_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    version: Mapped[int] = mapped_column(default=1)
    archived: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(back_populates="activities")
