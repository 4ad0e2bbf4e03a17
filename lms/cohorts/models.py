"""Cohorts: a group of trainees taking a set of course packs towards a milestone."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.extensions import Model, UTCDateTime, db, utcnow

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.coursepacks.models import Course

cohort_course = sa.Table(
    "cohort_course",
    db.metadata,
    sa.Column("cohort_id", sa.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("course_id", sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
)


class Cohort(Model):
    __tablename__ = "cohort"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    start_date: Mapped[date]
    end_date: Mapped[date]
    timezone: Mapped[str] = mapped_column(sa.String(40), default="Asia/Jakarta")
    milestone_title: Mapped[str] = mapped_column(sa.String(200), default="")
    milestone_date: Mapped[date | None]
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    # Who signs its certificates: [{"name": ..., "title": ...}], in order.
    signatories: Mapped[list[dict[str, str]]] = mapped_column(sa.JSON, default=list, server_default="[]")
    archived: Mapped[bool] = mapped_column(default=False)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    courses: Mapped[list[Course]] = relationship(secondary=cohort_course, order_by="Course.order")
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="cohort", cascade="all, delete-orphan")


class Enrolment(Model):
    """A person in a cohort, as a trainee or as one of its trainers."""

    __tablename__ = "enrolment"
    __table_args__ = (sa.UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(sa.String(20), default="trainee")  # trainee | trainer
    # A named group inside the cohort (a class, a room); trainers can be assigned to one.
    group_name: Mapped[str] = mapped_column(sa.String(100), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cohort: Mapped[Cohort] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship()


# -- organizer tooling (issue 5) ---------------------------------------------


class TrainerScope(Model):
    """Which trainees of a cohort a trainer looks after.

    A trainer enrolled in a cohort with no scope rows looks after every trainee
    of it (the whole cohort); with rows, only the trainees of those provinces
    (the province of their library) or named groups (Enrolment.group_name)."""

    __tablename__ = "trainer_scope"
    __table_args__ = (sa.UniqueConstraint("cohort_id", "trainer_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    trainer_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))  # province | group
    value: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
