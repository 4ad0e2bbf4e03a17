"""Cohorts and enrolment, and which courses a person may open."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from lms.accounts.models import Library, User
from lms.cohorts import policy
from lms.cohorts.models import Cohort, Enrolment, TrainerScope, cohort_course
from lms.coursepacks.models import Course
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db
from lms.signals import app_sender, participant_enrolled


def cohorts_of(user: User, role: str | None = None) -> list[Cohort]:
    query = sa.select(Cohort).join(Enrolment).where(Enrolment.user_id == user.id).order_by(Cohort.start_date.desc())
    if role:
        query = query.where(Enrolment.role == role)
    return list(db.session.scalars(query))


def visible_cohorts(user: User) -> list[Cohort]:
    """Organizers see every cohort; trainers the ones they work in. Their modules
    come in one more query, not one per cohort."""
    return list(db.session.scalars(policy.visible_cohorts_query(user).options(selectinload(Cohort.courses))))


def get_visible_cohort(user: User, cohort_id: int) -> Cohort:
    cohort = db.session.scalar(policy.visible_cohorts_query(user).where(Cohort.id == cohort_id))
    if cohort is None:
        raise NotFound(_("No such cohort."))
    return cohort


def current_cohort(user: User) -> Cohort | None:
    cohorts = [c for c in cohorts_of(user, "trainee") if not c.archived]
    return cohorts[0] if cohorts else None


def _open_courses(user: User) -> sa.Select:
    """Trainees may open the courses of their cohorts; staff every current course."""
    query = sa.select(Course).where(Course.archived.is_(False))
    if not policy.sees_every_course(user):
        query = query.where(
            Course.id.in_(
                sa.select(cohort_course.c.course_id)
                .join(Enrolment, Enrolment.cohort_id == cohort_course.c.cohort_id)
                .where(Enrolment.user_id == user.id)
            )
        )
    return query


def courses_for(user: User) -> list[Course]:
    return list(db.session.scalars(_open_courses(user).order_by(Course.order, Course.title)))


def get_course_for(user: User, slug: str) -> Course:
    course = db.session.scalar(_open_courses(user).where(Course.slug == slug))
    if course is None:
        raise NotFound(_("No such module."))
    return course


def trainee_cohort_for_course(user: User, course_id: int) -> Cohort | None:
    """The trainee's newest cohort that includes the course."""
    return db.session.scalar(
        sa.select(Cohort)
        .join(Enrolment, Enrolment.cohort_id == Cohort.id)
        .join(cohort_course, cohort_course.c.cohort_id == Cohort.id)
        .where(Enrolment.user_id == user.id, cohort_course.c.course_id == course_id)
        .order_by(Cohort.start_date.desc())
        .limit(1)
    )


def create_cohort(
    *,
    name: str,
    start_date: date,
    end_date: date,
    timezone: str = "Asia/Jakarta",
    milestone_title: str = "",
    milestone_date: date | None = None,
    courses: list[Course] | None = None,
    organisation: str = "",
    is_demo: bool = False,
    signatories: list[dict[str, str]] | None = None,
) -> Cohort:
    name = name.strip()
    if not name:
        raise Invalid(_("A name is required."), {"field": "name"})
    _check_dates(start_date, end_date)
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name)):
        raise Invalid(_("A cohort named %(name)s already exists.", name=name), {"field": "name"})
    cohort = Cohort(
        name=name,
        start_date=start_date,
        end_date=end_date,
        timezone=timezone,
        milestone_title=milestone_title,
        milestone_date=milestone_date,
        organisation=organisation,
        is_demo=is_demo,
        signatories=list(signatories or []),
    )
    cohort.courses = list(courses or [])
    db.session.add(cohort)
    db.session.flush()
    return cohort


def enrol(cohort: Cohort, users: list[User], role: str = "trainee") -> int:
    """Enrol people (trainees or trainers); returns how many were new."""
    existing = set(db.session.scalars(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id)))
    added: list[int] = []
    for user in users:
        if user.id not in existing:
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id, role=role))
            existing.add(user.id)
            added.append(user.id)
    db.session.flush()
    if added:
        participant_enrolled.send(app_sender(), cohort=cohort, user_ids=added, role=role)
    return len(added)


def unenrol(cohort: Cohort, user_id: int) -> None:
    db.session.execute(sa.delete(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == user_id))


def members(cohort: Cohort, role: str) -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.role == role)
            .order_by(User.name)
        )
    )


def _check_dates(start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise Invalid(_("The end date comes before the start date."), {"field": "end_date"})


def update_cohort(
    cohort: Cohort,
    *,
    name: str,
    start_date: date,
    end_date: date,
    timezone: str,
    milestone_title: str = "",
    milestone_date: date | None = None,
    courses: list[Course] | None = None,
    organisation: str = "",
    signatories: list[dict[str, str]] | None = None,
) -> Cohort:
    name = name.strip()
    if not name:
        raise Invalid(_("A name is required."), {"field": "name"})
    _check_dates(start_date, end_date)
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == name, Cohort.id != cohort.id)):
        raise Invalid(_("A cohort named %(name)s already exists.", name=name), {"field": "name"})
    cohort.name, cohort.start_date, cohort.end_date, cohort.timezone = name, start_date, end_date, timezone
    cohort.milestone_title, cohort.milestone_date = milestone_title.strip(), milestone_date
    cohort.organisation = organisation.strip()
    if courses is not None:
        cohort.courses = list(courses)
    if signatories is not None:
        cohort.signatories = signatories
    db.session.flush()
    return cohort


def parse_signatories(text: str) -> list[dict[str, str]]:
    """One signatory per line, "Name | Title" (the title may be left out)."""
    result = []
    for line in (text or "").splitlines():
        name, _sep, title = line.partition("|")
        if name.strip():
            result.append({"name": name.strip()[:120], "title": title.strip()[:160]})
    if len(result) > 3:
        raise Invalid(_("A certificate has room for three signatories at most."), {"field": "signatories"})
    return result


def format_signatories(signatories: list[dict[str, str]]) -> str:
    return "\n".join(f"{s['name']} | {s['title']}" if s.get("title") else s["name"] for s in signatories or [])


def set_archived(cohort: Cohort, archived: bool) -> None:
    cohort.archived = archived
    db.session.flush()


def require_open(cohort: Cohort) -> None:
    """Archived cohorts are kept as they are: no enrolment changes."""
    if cohort.archived:
        raise Conflict(_("This cohort is archived. Restore it first to change who is in it."))


def set_group(cohort: Cohort, user_id: int, group: str) -> None:
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(
            Enrolment.cohort_id == cohort.id, Enrolment.user_id == user_id, Enrolment.role == "trainee"
        )
    )
    if enrolment is None:
        raise NotFound(_("This person is not a trainee of the cohort."))
    enrolment.group_name = group.strip()[:100]
    db.session.flush()


def groups_of(cohort: Cohort) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Enrolment.group_name)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.group_name != "")
            .distinct()
            .order_by(Enrolment.group_name)
        )
    )


def provinces_of(cohort: Cohort) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(Library.province)
            .join(User, User.library_id == Library.id)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.role == "trainee", Library.province != "")
            .distinct()
            .order_by(Library.province)
        )
    )


def assign_trainer(cohort: Cohort, trainer: User, kind: str = "cohort", value: str = "") -> None:
    """Make `trainer` a trainer of the cohort, for all of it (kind "cohort") or
    for one more province or named group of its trainees."""
    if trainer.role not in ("trainer", "admin"):
        raise Invalid(_("%(name)s is not a trainer.", name=trainer.name), {"field": "trainer"})
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id == trainer.id)
    )
    if enrolment is None:
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainer.id, role="trainer"))
    elif enrolment.role != "trainer":
        raise Invalid(_("%(name)s is a trainee of this cohort.", name=trainer.name), {"field": "trainer"})
    scopes = sa.select(TrainerScope).where(TrainerScope.cohort_id == cohort.id, TrainerScope.trainer_id == trainer.id)
    if kind == "cohort":
        for scope in db.session.scalars(scopes):
            db.session.delete(scope)
    elif kind in ("province", "group"):
        value = value.strip()
        if not value:
            raise Invalid(_("Name the province or group."), {"field": "value"})
        if db.session.scalar(scopes.where(TrainerScope.kind == kind, TrainerScope.value == value)) is None:
            db.session.add(TrainerScope(cohort_id=cohort.id, trainer_id=trainer.id, kind=kind, value=value[:120]))
    else:
        raise Invalid(_("Unknown assignment."), {"field": "kind"})
    db.session.flush()


def remove_trainer_scope(cohort: Cohort, scope_id: int) -> None:
    scope = db.session.get(TrainerScope, scope_id)
    if scope is None or scope.cohort_id != cohort.id:
        raise NotFound(_("No such assignment."))
    db.session.delete(scope)
    db.session.flush()


def trainer_scopes(cohort: Cohort) -> dict[int, list[TrainerScope]]:
    """trainer id -> their scopes in the cohort (no entry: the whole cohort)."""
    result: dict[int, list[TrainerScope]] = {}
    for scope in db.session.scalars(
        sa.select(TrainerScope)
        .where(TrainerScope.cohort_id == cohort.id)
        .order_by(TrainerScope.kind, TrainerScope.value)
    ):
        result.setdefault(scope.trainer_id, []).append(scope)
    return result


def trainers_responsible(
    trainers: list[tuple[int, str]], scopes: dict[int, list[TrainerScope]], province: str, group: str
) -> list[str]:
    """Names of the trainers who look after a trainee of this province and group."""
    names = []
    for trainer_id, name in trainers:
        own = scopes.get(trainer_id)
        if not own or any(
            (s.kind == "province" and s.value == province) or (s.kind == "group" and group and s.value == group)
            for s in own
        ):
            names.append(name)
    return names


def trainers_available() -> list[User]:
    return list(
        db.session.scalars(sa.select(User).where(User.role == "trainer", User.active.is_(True)).order_by(User.name))
    )


def trainees_with_groups(cohort: Cohort) -> list[tuple[User, str]]:
    return list(
        db.session.execute(
            sa.select(User, Enrolment.group_name)
            .join(Enrolment, Enrolment.user_id == User.id)
            .options(joinedload(User.library))
            .where(Enrolment.cohort_id == cohort.id, Enrolment.role == "trainee")
            .order_by(User.name)
        ).tuples()
    )
