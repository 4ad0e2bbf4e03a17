"""Issuing, finding, verifying and revoking certificates."""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from lms.accounts.models import User
from lms.certificates import policy
from lms.certificates.models import Certificate
from lms.cohorts.models import Cohort, Enrolment, cohort_course
from lms.coursepacks.models import Activity, Course
from lms.errors import Conflict, Forbidden, NotFound
from lms.extensions import db, utcnow
from lms.learning.models import Progress
from lms.reports import completion as completion_service
from lms.signals import app_sender, certificate_issued

# Crockford's base 32: no I, L, O or U, so a code read aloud or typed is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
READ_AS = {"O": "0", "I": "1", "L": "1"}


def new_code() -> str:
    """Twelve random characters (60 bits) in three groups: XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(text: str) -> str:
    raw = "".join(READ_AS.get(ch, ch) for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def verify_url(code: str) -> str:
    return current_app.config["LMS_BASE_URL"].rstrip("/") + url_for("certificates.verify", code=code)


def find(code: str) -> Certificate | None:
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == normalise_code(code)))


def latest(cohort_id: int, user_id: int) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate)
        .where(Certificate.cohort_id == cohort_id, Certificate.user_id == user_id)
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(1)
    )


def status_for(cohort: Cohort, user: User) -> dict[str, Any]:
    """Whether the participant has completed the cohort, and their certificate."""
    result = completion_service.compute(cohort, user_ids=[user.id])
    participant = result.participants[0] if result.participants else None
    return {
        "cohort": cohort,
        "complete": bool(participant and participant.completed),
        "certificate": latest(cohort.id, user.id),
    }


def offers_for(user: User) -> list[dict[str, Any]]:
    """For a trainee's dashboard: each of their cohorts with the state of its
    certificate, in three queries however many cohorts and participants there are
    (completion is read for this one trainee, not computed for the cohort)."""
    cohorts = list(
        db.session.scalars(
            sa.select(Cohort)
            .join(Enrolment)
            .where(Enrolment.user_id == user.id, Enrolment.role == "trainee")
            .order_by(Cohort.start_date.desc())
        )
    )
    ids = [cohort.id for cohort in cohorts]
    complete = _complete_cohorts(user.id, ids)
    latest_by_cohort: dict[int, Certificate] = {}
    for certificate in db.session.scalars(
        sa.select(Certificate)
        .where(Certificate.user_id == user.id, Certificate.cohort_id.in_(ids or [0]))
        .order_by(Certificate.issued_at, Certificate.id)
    ):
        latest_by_cohort[certificate.cohort_id] = certificate  # the newest comes last
    return [{"cohort": c, "complete": c.id in complete, "certificate": latest_by_cohort.get(c.id)} for c in cohorts]


def _complete_cohorts(user_id: int, cohort_ids: list[int]) -> set[int]:
    """The cohorts whose every module the trainee has completed: the rule of
    reports.completion (the modules are the cohort's current, non-archived courses;
    a module is complete when each of its current activities has a completed
    progress row, and it has at least one)."""
    done = sa.func.count(Progress.completed_at)
    rows = db.session.execute(
        sa.select(cohort_course.c.cohort_id, cohort_course.c.course_id, sa.func.count(Activity.id), done)
        .join(Course, sa.and_(Course.id == cohort_course.c.course_id, Course.archived.is_(False)))
        .outerjoin(Activity, sa.and_(Activity.course_id == cohort_course.c.course_id, Activity.archived.is_(False)))
        .outerjoin(Progress, sa.and_(Progress.activity_id == Activity.id, Progress.user_id == user_id))
        .where(cohort_course.c.cohort_id.in_(cohort_ids or [0]))
        .group_by(cohort_course.c.cohort_id, cohort_course.c.course_id)
    ).tuples()
    modules: dict[int, list[bool]] = {}
    for cohort_id, _course_id, total, completed in rows:
        modules.setdefault(cohort_id, []).append(total > 0 and completed == total)
    return {cohort_id for cohort_id, states in modules.items() if states and all(states)}


def issue(cohort: Cohort, user: User, by: User) -> Certificate:
    """Issue the participant's certificate (or give back the valid one).

    A participant may ask for their own; an organizer for anyone. Once revoked,
    only an organizer can issue a new one."""
    is_organizer = policy.can_manage(by)
    if by.id != user.id and not is_organizer:
        raise Forbidden(_("You may not do this."))
    enrolled = db.session.scalar(
        sa.select(Enrolment.id).where(
            Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id, Enrolment.role == "trainee"
        )
    )
    if enrolled is None:
        raise NotFound(_("No such cohort."))
    current = latest(cohort.id, user.id)
    if current is not None and not current.revoked:
        return current
    if current is not None and not is_organizer:
        raise Conflict(_("Your certificate was revoked. Please contact the organizers."))
    result = completion_service.compute(cohort, user_ids=[user.id])
    participant = result.participants[0] if result.participants else None
    if participant is None or not participant.completed:
        raise Conflict(_("A certificate is issued once every module of the cohort is complete."))
    return _create(result, participant, user, _completed_on(result, [user.id]).get(user.id))


def _completed_on(result: completion_service.Completion, user_ids: list[int]) -> dict[int, Any]:
    """When each participant completed their last activity of the cohort."""
    return dict(
        db.session.execute(
            sa.select(Progress.user_id, sa.func.max(Progress.completed_at))
            .join(Activity, Activity.id == Progress.activity_id)
            .where(
                Progress.user_id.in_(user_ids or [0]),
                Activity.course_id.in_([c.id for c in result.courses] or [0]),
                Activity.archived.is_(False),
            )
            .group_by(Progress.user_id)
        )
        .tuples()
        .all()
    )


def _create(result: completion_service.Completion, participant, user: User, completed_on) -> Certificate:
    cohort = result.cohort
    if isinstance(completed_on, str):  # SQLite hands back an aggregate of a UTC column as text
        completed_on = completed_on[:10]
    elif completed_on is not None:
        completed_on = completed_on.date().isoformat()
    data = {
        "name": user.name,
        "library": participant.library,
        "regency": participant.regency,
        "province": participant.province,
        "participant_type": participant.participant_type,
        "cohort": cohort.name,
        "organisation": cohort.organisation,
        "start_date": cohort.start_date.isoformat(),
        "end_date": cohort.end_date.isoformat(),
        "modules": [
            {"slug": c.slug, "title": c.title, "hours": c.hours, "score": participant.cells[c.id].score}
            for c in result.courses
        ],
        "total_hours": sum(c.hours for c in result.courses),
        "completed_on": completed_on or utcnow().date().isoformat(),
        "signatories": list(cohort.signatories or []),
    }
    code = new_code()
    while db.session.scalar(sa.select(Certificate.id).where(Certificate.code == code)) is not None:
        code = new_code()  # pragma: no cover  (60 bits: practically never)
    certificate = Certificate(code=code, cohort_id=cohort.id, user_id=user.id, data=data, issued_at=utcnow())
    db.session.add(certificate)
    db.session.flush()
    certificate_issued.send(app_sender(), certificate=certificate)
    return certificate


def issue_all(cohort: Cohort, by: User) -> int:
    """Issue a certificate to every complete participant who has none (nor a
    revoked one: those an organizer reissues one by one)."""
    if not policy.can_manage(by):
        raise Forbidden(_("You may not do this."))
    result = completion_service.compute(cohort)
    have = set(db.session.scalars(sa.select(Certificate.user_id).where(Certificate.cohort_id == cohort.id)))
    todo = [p for p in result.participants if p.completed and p.id not in have]
    people = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_([p.id for p in todo] or [0])))}
    when = _completed_on(result, [p.id for p in todo])
    for participant in todo:
        _create(result, participant, people[participant.id], when.get(participant.id))
    return len(todo)


def revoke(certificate: Certificate, by: User, reason: str) -> None:
    if certificate.revoked:
        return
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = by.id
    certificate.revoke_reason = (reason or "").strip()[:300]
    db.session.flush()


def of_cohort(cohort: Cohort) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.cohort_id == cohort.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )
