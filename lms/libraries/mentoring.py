"""Data-based mentoring: who mentors which library, traffic lights from the
monthly counts, mentoring notes, and the organizers' thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, joinedload

from lms.accounts.models import Library, User
from lms.errors import Invalid, NotFound
from lms.extensions import db, utcnow
from lms.libraries import ranking
from lms.libraries.models import LightSettings, MentoringNote, MentorLibrary
from lms.libraries.policy import default_library_ids, may_write_notes, mentored_library_ids, sees_every_province

LIGHTS = {"green": _l("Green"), "yellow": _l("Yellow"), "red": _l("Red")}
TREND_MONTHS = 6
FACILITATOR_TYPES = ("district_facilitator", "provincial_facilitator")


# -- thresholds ---------------------------------------------------------------


def get_settings() -> LightSettings:
    """The saved thresholds, or the defaults (not stored until an organizer saves)."""
    settings = db.session.scalar(sa.select(LightSettings).order_by(LightSettings.id).limit(1))
    return settings or LightSettings(green_min=4, yellow_min=2)


def save_settings(user: User, green_min: int | None, yellow_min: int | None) -> LightSettings:
    if green_min is None or yellow_min is None:
        raise Invalid(_("Both thresholds are whole numbers."), {"field": "green_min"})
    if not 1 <= yellow_min < green_min <= 100:
        raise Invalid(
            _("Yellow needs at least 1 activity a month, and green more than yellow (at most 100)."),
            {"field": "green_min"},
        )
    settings = db.session.scalar(sa.select(LightSettings).order_by(LightSettings.id).limit(1))
    if settings is None:
        settings = LightSettings()
        db.session.add(settings)
    settings.green_min, settings.yellow_min = green_min, yellow_min
    settings.updated_at, settings.updated_by_id = utcnow(), user.id
    db.session.flush()
    return settings


def light(count: int, settings: LightSettings) -> str:
    if count >= settings.green_min:
        return "green"
    if count >= settings.yellow_min:
        return "yellow"
    return "red"


# -- which month the lights describe ------------------------------------------


def _end(now: date | None, period: ranking.Period | None) -> date:
    """The day after which the pages stop looking: today, or the end of the
    current cohort's period when that is already over."""
    now = now or ranking.today()
    return min(now, period.until) if period is not None else now


def reference_month(now: date | None = None, period: ranking.Period | None = None) -> date:
    """The last complete month: before today, or the month the current cohort's
    period ends in, when that period is already over (so an old cohort still
    shows the state at its end; archive it to move on)."""
    end = _end(now, period)
    if end < (now or ranking.today()):
        end += timedelta(days=1)
    return ranking.add_months(ranking.month_start(end), -1)


def last_month(now: date | None = None, period: ranking.Period | None = None) -> date:
    """The newest month a library's monthly totals show (the one in progress)."""
    return ranking.month_start(_end(now, period))


# -- who mentors whom ----------------------------------------------------------


def mentors_of(library: Library) -> list[User]:
    """Everyone whose list holds the library: the same rules as
    mentored_library_ids, turned around into one query."""
    home = aliased(Library)
    changes = sa.select(MentorLibrary.mentor_id).where(MentorLibrary.library_id == library.id)
    by_default: sa.ColumnElement[bool] = sa.false()
    if library.kind == "village":
        by_default = sa.or_(
            sa.and_(
                User.participant_type == "district_facilitator",
                home.regency != "",
                home.regency == library.regency,
                home.province == library.province,
            ),
            sa.and_(
                User.participant_type == "provincial_facilitator",
                home.province != "",
                home.province == library.province,
            ),
        )
    return list(
        db.session.scalars(
            sa.select(User)
            .outerjoin(home, home.id == User.library_id)
            .where(
                User.active.is_(True),
                sa.or_(
                    sa.and_(by_default, User.id.not_in(changes.where(MentorLibrary.included.is_(False)))),
                    User.id.in_(changes.where(MentorLibrary.included.is_(True))),
                ),
            )
            .order_by(User.name)
        )
    )


def set_mentored(organizer: User, mentor: User, library_id: int, included: bool) -> None:
    """Add a library to a mentor's list or take it away; a change back to the
    default removes the change."""
    library = db.session.get(Library, library_id)
    if library is None:
        raise NotFound(_("No such library."))
    query = default_library_ids(mentor)
    by_default = query is not None and library_id in set(db.session.scalars(query))
    change = db.session.get(MentorLibrary, (mentor.id, library_id))
    if included == by_default:
        if change is not None:
            db.session.delete(change)
    else:
        if change is None:
            change = MentorLibrary(mentor_id=mentor.id, library_id=library_id)
            db.session.add(change)
        change.included, change.changed_by_id, change.changed_at = included, organizer.id, utcnow()
    db.session.flush()


def mentors() -> list[User]:
    """People who mentor: facilitators, and anyone an organizer gave a library."""
    return list(
        db.session.scalars(
            sa.select(User)
            .options(joinedload(User.library))
            .where(
                sa.or_(
                    User.participant_type.in_(FACILITATOR_TYPES),
                    User.id.in_(sa.select(MentorLibrary.mentor_id).where(MentorLibrary.included.is_(True))),
                )
            )
            .order_by(User.name)
        )
    )


# -- lights and trends -----------------------------------------------------------


@dataclass
class Month:
    first: date
    count: int
    light: str


@dataclass
class LibraryLights:
    library: Library
    months: list[Month] = field(default_factory=list)
    last_note: date | None = None

    @property
    def current(self) -> Month:
        return self.months[-1]

    @property
    def trend(self) -> str:
        """rising, falling or steady: the last three months against the three before."""
        half = len(self.months) // 2
        before = sum(m.count for m in self.months[:half])
        after = sum(m.count for m in self.months[half:])
        return "rising" if after > before else "falling" if after < before else "steady"

    @property
    def priority(self) -> bool:
        """Red two months in a row: contact first (course 04, lesson "lampu-kpi")."""
        return len(self.months) >= 2 and self.months[-1].light == self.months[-2].light == "red"


LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2}


def lights_for(
    libraries: list[Library], month: date, settings: LightSettings | None = None, months: int = TREND_MONTHS
) -> list[LibraryLights]:
    """Lights of `months` months ending with `month`, for these libraries; the
    ones to contact first come first. A fixed number of queries."""
    settings = settings or get_settings()
    first = ranking.add_months(month, -(months - 1))
    ids = [library.id for library in libraries]
    counts = ranking.monthly_counts(first, month, ids) if ids else {}
    last_notes: dict[int, date] = (
        dict(
            db.session.execute(
                sa.select(MentoringNote.library_id, sa.func.max(MentoringNote.visit_date))
                .where(MentoringNote.library_id.in_(ids))
                .group_by(MentoringNote.library_id)
            )
            .tuples()
            .all()
        )
        if ids
        else {}
    )
    result = []
    for library in libraries:
        row = LibraryLights(library, last_note=last_notes.get(library.id))
        for step in range(months):
            first_day = ranking.add_months(first, step)
            count = counts.get((library.id, first_day), 0)
            row.months.append(Month(first_day, count, light(count, settings)))
        result.append(row)
    result.sort(key=lambda r: (not r.priority, LIGHT_ORDER[r.current.light], r.current.count, r.library.name))
    return result


def mentored_libraries(mentor: User, province: str | None = None) -> list[Library]:
    """The mentor's libraries; for organizers every village library (of a province)."""
    query = sa.select(Library).order_by(Library.name)
    if sees_every_province(mentor):
        query = query.where(Library.kind == "village")
    else:
        query = query.where(Library.id.in_(mentored_library_ids(mentor) or {0}))
    if province:
        query = query.where(Library.province == province)
    return list(db.session.scalars(query))


# -- notes -------------------------------------------------------------------------


def notes_of(library: Library) -> list[MentoringNote]:
    return list(
        db.session.scalars(
            sa.select(MentoringNote)
            .where(MentoringNote.library_id == library.id)
            .order_by(MentoringNote.visit_date.desc(), MentoringNote.id.desc())
        )
    )


def add_note(user: User, library: Library, visit_date: date | None, discussed: str, follow_up: str) -> MentoringNote:
    if not may_write_notes(user, library):
        raise NotFound(_("No such library."))
    discussed, follow_up = (discussed or "").strip(), (follow_up or "").strip()
    if visit_date is None:
        raise Invalid(_("The date of the conversation is required."), {"field": "visit_date"})
    if visit_date > ranking.today():
        raise Invalid(_("The date of the conversation is in the future."), {"field": "visit_date"})
    if not discussed:
        raise Invalid(_("Write what was discussed."), {"field": "discussed"})
    if len(discussed) > 5000 or len(follow_up) > 5000:
        raise Invalid(_("A note holds at most 5000 characters per field."), {"field": "discussed"})
    note = MentoringNote(
        library_id=library.id, author_id=user.id, visit_date=visit_date, discussed=discussed, follow_up=follow_up
    )
    db.session.add(note)
    db.session.flush()
    return note
