"""Cohorts and enrolment, and which courses a person may open."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.cohorts.models import Cohort, Enrolment, cohort_course
from lms.coursepacks.models import Course
from lms.errors import Invalid, NotFound
from lms.extensions import db


def cohorts_of(user: User, role: str | None = None) -> list[Cohort]:
    query = (sa.select(Cohort).join(Enrolment).where(Enrolment.user_id == user.id)
             .order_by(Cohort.start_date.desc()))
    if role:
        query = query.where(Enrolment.role == role)
    return list(db.session.scalars(query))


def visible_cohorts(user: User) -> list[Cohort]:
    """Organizers see every cohort; trainers the ones they work in."""
    if user.has_role("organizer"):
        return list(db.session.scalars(sa.select(Cohort).order_by(Cohort.start_date.desc())))
    return cohorts_of(user)


def get_visible_cohort(user: User, cohort_id: int) -> Cohort:
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or (not user.has_role("organizer") and cohort not in cohorts_of(user)):
        raise NotFound(_("No such cohort."))
    return cohort


def current_cohort(user: User) -> Cohort | None:
    cohorts = [c for c in cohorts_of(user, "trainee") if not c.archived]
    return cohorts[0] if cohorts else None


def courses_for(user: User) -> list[Course]:
    """Trainees see the courses of their cohorts; staff see every current course."""
    query = sa.select(Course).where(Course.archived.is_(False)).order_by(Course.order, Course.title)
    if not user.is_staff:
        query = query.where(Course.id.in_(
            sa.select(cohort_course.c.course_id).join(
                Enrolment, Enrolment.cohort_id == cohort_course.c.cohort_id
            ).where(Enrolment.user_id == user.id)
        ))
    return list(db.session.scalars(query))


def get_course_for(user: User, slug: str) -> Course:
    course = db.session.scalar(sa.select(Course).where(Course.slug == slug, Course.archived.is_(False)))
    if course is None or course not in courses_for(user):
        raise NotFound(_("No such module."))
    return course


def create_cohort(*, name: str, start_date: date, end_date: date, timezone: str = "Asia/Jakarta",
                  milestone_title: str = "", milestone_date: date | None = None,
                  courses: list[Course] | None = None, organisation: str = "", is_demo: bool = False) -> Cohort:
    name = name.strip()
    if not name:
        raise Invalid(_("A name is required."), {"field": "name"})
    if end_date < start_date:
        raise Invalid(_("The end date comes before the start date."), {"field": "end_date"})
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name)):
        raise Invalid(_("A cohort named %(name)s already exists.", name=name), {"field": "name"})
    cohort = Cohort(name=name, start_date=start_date, end_date=end_date, timezone=timezone,
                    milestone_title=milestone_title, milestone_date=milestone_date,
                    organisation=organisation, is_demo=is_demo)
    cohort.courses = list(courses or [])
    db.session.add(cohort)
    db.session.flush()
    return cohort


def enrol(cohort: Cohort, users: list[User], role: str = "trainee") -> int:
    """Enrol people (trainees or trainers); returns how many were new."""
    existing = set(db.session.scalars(
        sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)
    ))
    added = 0
    for user in users:
        if user.id not in existing:
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id, role=role))
            existing.add(user.id)
            added += 1
    db.session.flush()
    return added


def unenrol(cohort: Cohort, user_id: int) -> None:
    db.session.execute(sa.delete(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == user_id))


def members(cohort: Cohort, role: str) -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.cohort_id == cohort.id, Enrolment.role == role).order_by(User.name)
    ))


def trainer_trainee_ids(trainer: User) -> sa.Select:
    """The trainees of every cohort the trainer works in (a subquery)."""
    trainer_cohorts = sa.select(Enrolment.cohort_id).where(
        Enrolment.user_id == trainer.id, Enrolment.role == "trainer")
    return sa.select(Enrolment.user_id).where(
        Enrolment.cohort_id.in_(trainer_cohorts), Enrolment.role == "trainee")
