"""A cohort's completion: who is ready for the milestone and what stops the others.

Everything here is read from the progress table (one row per person per
activity, written by each activity type), aggregated per person and module in
the database. The whole computation costs the same fixed number of queries
for ten participants or ten thousand; a test counts them.

Completion rules (course-format.md): a module is complete when every current
(non-archived) activity has a completed progress row; a participant when every
module of the cohort is complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from lms.accounts.models import PARTICIPANT_TYPES, Library, User
from lms.activities import ACTIVITY_TYPES
from lms.cohorts.models import Cohort, Enrolment, cohort_course
from lms.cohorts.policy import visible_trainees
from lms.cohorts.services import trainer_scopes, trainers_responsible
from lms.coursepacks.models import Activity, Course
from lms.extensions import db, utcnow
from lms.learning.models import Progress
from lms.reports.models import Reminder

# What keeps a participant from completing a module, most urgent first.
BLOCKERS = {
    "not_started": _l("Not started"),
    "waiting_grade": _l("Waiting for a grade"),
    "revise": _l("Returned for revision"),
    "failed": _l("Failed"),
    "quiz_not_passed": _l("Quiz not passed"),
    "not_submitted": _l("Not submitted"),
    "unfinished": _l("Activities not done"),
}
MODULE_STATUSES = {
    "completed": _l("Completed"),
    "in_progress": _l("In progress"),
    "not_started": _l("Not started"),
}
WAITING = ("submitted", "graded")
HANDED_IN = ("submitted", "graded", "revise", "failed", "completed")


def activity_role(activity: Activity) -> str:
    """How an activity counts, as its type says (ActivityType.reporting_role):
    "graded", "pre" / "post" / "quiz", or "other". Unknown types (a plugin
    uninstalled after sync) count as "other"."""

    atype = ACTIVITY_TYPES.get(activity.type)
    return atype.reporting_role(activity) if atype is not None else "other"


def score_factor(activity: Activity) -> float | None:
    """The factor that turns the activity's progress score into a percent, for
    the activities that make up a module's score: post-tests, practice quizzes
    (already a percent) and graded work (score out of max_score). The pre-test
    measures the starting point and does not count."""
    role = activity_role(activity)
    if role in ("post", "quiz"):
        return 1.0
    if role == "graded" and activity.config["max_score"]:
        return 100.0 / float(activity.config["max_score"])
    return None


@dataclass(slots=True)
class ModuleCell:
    """One participant in one module."""

    total: int
    done: int = 0
    started: int = 0
    waiting: int = 0
    revise: int = 0
    failed: int = 0
    quiz_failed: int = 0
    handed_in: int = 0
    graded_total: int = 0
    score: float | None = None
    pre: float | None = None
    post: float | None = None

    @property
    def completed(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def status(self) -> str:
        if self.completed:
            return "completed"
        return "in_progress" if self.started else "not_started"

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def blockers(self) -> dict[str, int]:
        """What is missing, as blocker code -> number of activities."""
        if self.completed:
            return {}
        if not self.started:
            return {"not_started": self.total - self.done}
        not_submitted = self.graded_total - self.handed_in
        found = {
            "waiting_grade": self.waiting,
            "revise": self.revise,
            "failed": self.failed,
            "quiz_not_passed": self.quiz_failed,
            "not_submitted": not_submitted,
        }
        found["unfinished"] = (self.total - self.done) - sum(found.values())
        return {code: n for code, n in found.items() if n > 0}


@dataclass
class Participant:
    id: int
    name: str
    email: str
    participant_type: str
    library: str
    regency: str
    province: str
    group: str
    cells: dict[int, ModuleCell] = field(default_factory=dict)
    trainers: list[str] = field(default_factory=list)
    last_reminder: datetime | None = None

    @property
    def modules_done(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.completed)

    @property
    def completed(self) -> bool:
        return bool(self.cells) and all(cell.completed for cell in self.cells.values())

    @property
    def type_label(self) -> str:
        return str(PARTICIPANT_TYPES.get(self.participant_type, self.participant_type or "–"))

    @property
    def mean_score(self) -> float | None:
        scores = [c.score for c in self.cells.values() if c.score is not None]
        return round(sum(scores) / len(scores), 1) if scores else None


@dataclass
class Completion:
    cohort: Cohort
    courses: list[Course]
    activities: dict[int, list[Activity]]
    participants: list[Participant]
    today: date

    # -- headline figures -------------------------------------------------------
    @property
    def total(self) -> int:
        return len(self.participants)

    @property
    def completed(self) -> int:
        return sum(1 for p in self.participants if p.completed)

    @property
    def percent(self) -> float:
        return round(100 * self.completed / self.total, 1) if self.total else 0.0

    @property
    def days_to_milestone(self) -> int | None:
        if self.cohort.milestone_date is None:
            return None
        return (self.cohort.milestone_date - self.today).days

    @property
    def grading_backlog(self) -> int:
        return sum(cell.waiting for p in self.participants for cell in p.cells.values())

    # -- breakdowns ---------------------------------------------------------------
    def by_course(self) -> list[dict[str, Any]]:
        result = []
        for course in self.courses:
            counts = {status: 0 for status in MODULE_STATUSES}
            for p in self.participants:
                counts[p.cells[course.id].status] += 1
            result.append({"course": course, "slug": course.slug, "title": course.title, **counts})
        return result

    def _grouped(self, key) -> list[dict[str, Any]]:
        groups: dict[str, list[int]] = {}
        for p in self.participants:
            entry = groups.setdefault(key(p), [0, 0])
            entry[0] += 1
            entry[1] += p.completed
        return [
            {"key": k, "participants": n, "completed": done, "percent": round(100 * done / n, 1) if n else 0.0}
            for k, (n, done) in sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))
        ]

    def by_province(self) -> list[dict[str, Any]]:
        return [{"province": g.pop("key"), **g} for g in self._grouped(lambda p: p.province)]

    def by_type(self) -> list[dict[str, Any]]:
        rows = [{"participant_type": g.pop("key"), **g} for g in self._grouped(lambda p: p.participant_type)]
        for row in rows:
            row["label"] = str(PARTICIPANT_TYPES.get(row["participant_type"], row["participant_type"] or "–"))
        return rows

    def at_risk(self) -> list[Participant]:
        return [p for p in self.participants if not p.completed]

    def missing(self, participant: Participant) -> list[Course]:
        return [c for c in self.courses if not participant.cells[c.id].completed]

    def gain(self) -> list[dict[str, Any]]:
        """Per module: participants with both a pre-test and a post-test, their
        mean best percents and the mean gain."""
        result = []
        for course in self.courses:
            pairs: list[tuple[float, float]] = []
            for p in self.participants:
                pre, post = p.cells[course.id].pre, p.cells[course.id].post
                if pre is not None and post is not None:
                    pairs.append((pre, post))
            n = len(pairs)
            result.append(
                {
                    "course": course,
                    "slug": course.slug,
                    "participants": n,
                    "pre": round(sum(a for a, _ in pairs) / n, 1) if n else None,
                    "post": round(sum(b for _, b in pairs) / n, 1) if n else None,
                    "gain": round(sum(b - a for a, b in pairs) / n, 1) if n else None,
                }
            )
        return result

    def as_json(self) -> dict[str, Any]:
        """The shape of GET /api/v1/cohorts/{id}/completion (api.md), and more."""
        cohort = self.cohort
        return {
            "cohort": {"id": cohort.id, "name": cohort.name},
            "milestone": {
                "title": cohort.milestone_title,
                "date": cohort.milestone_date.isoformat() if cohort.milestone_date else None,
            },
            "participants": self.total,
            "completed": self.completed,
            "percent": self.percent,
            "days_to_milestone": self.days_to_milestone,
            "grading_backlog": self.grading_backlog,
            "by_course": [
                {
                    "slug": row["slug"],
                    "title": row["title"],
                    "completed": row["completed"],
                    "in_progress": row["in_progress"],
                    "not_started": row["not_started"],
                }
                for row in self.by_course()
            ],
            "by_province": self.by_province(),
            "by_participant_type": [{k: v for k, v in row.items() if k != "label"} for row in self.by_type()],
            "gain": [{k: v for k, v in row.items() if k != "course"} for row in self.gain()],
            "at_risk": [
                {
                    "id": p.id,
                    "name": p.name,
                    "missing": [c.slug for c in self.missing(p)],
                    "blockers": {c.slug: p.cells[c.id].blockers for c in self.missing(p)},
                    "trainers": p.trainers,
                    "last_reminder": p.last_reminder.isoformat() if p.last_reminder else None,
                }
                for p in self.at_risk()
            ],
        }


def _today(cohort: Cohort) -> date:
    return utcnow().astimezone(ZoneInfo(cohort.timezone or "Asia/Jakarta")).date()


def _sum_when(condition) -> sa.ColumnElement:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def compute(
    cohort: Cohort,
    viewer: User | None = None,
    user_ids: Iterable[int] | None = None,
    today: date | None = None,
    with_progress: bool = True,
) -> Completion:
    """The completion of the cohort's trainees, or of those the viewer (a trainer)
    looks after, or of `user_ids` only. A fixed number of queries.
    `with_progress=False` gives the participants only (the gradebook needs no more)."""
    courses = list(
        db.session.scalars(
            sa.select(Course)
            .join(cohort_course, cohort_course.c.course_id == Course.id)
            .where(cohort_course.c.cohort_id == cohort.id, Course.archived.is_(False))
            .order_by(Course.order, Course.id)
        )
    )
    course_ids = [c.id for c in courses]
    activities: dict[int, list[Activity]] = {cid: [] for cid in course_ids}
    for activity in db.session.scalars(
        sa.select(Activity)
        .where(Activity.course_id.in_(course_ids or [0]), Activity.archived.is_(False))
        .order_by(Activity.course_id, Activity.position)
    ):
        activities[activity.course_id].append(activity)

    members = sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort.id, Enrolment.role == "trainee")
    scope = visible_trainees(viewer) if viewer is not None else None
    if scope is not None:
        members = members.where(Enrolment.user_id.in_(scope))
    if user_ids is not None:
        members = members.where(Enrolment.user_id.in_(list(user_ids) or [0]))

    # Core results (no ORM rows): these two queries carry every participant.
    connection = db.session.connection()
    people = connection.execute(
        sa.select(
            User.id,
            User.name,
            User.email,
            User.participant_type,
            Library.name,
            Library.regency,
            Library.province,
            Enrolment.group_name,
        )
        .join(Enrolment, sa.and_(Enrolment.user_id == User.id, Enrolment.cohort_id == cohort.id))
        .outerjoin(Library, Library.id == User.library_id)
        .where(User.id.in_(members))
        .order_by(User.name, User.id)
    ).all()

    # A participant who has not touched a module shares its one "not started"
    # cell; a cell of their own is made only from a row of the aggregate.
    untouched = {
        cid: ModuleCell(total=len(acts), graded_total=sum(1 for a in acts if activity_role(a) == "graded"))
        for cid, acts in activities.items()
    }
    participants: dict[int, Participant] = {}
    for uid, name, email, ptype, library, regency, province, group in people:
        participants[uid] = Participant(
            uid, name, email, ptype or "", library or "", regency or "", province or "", group or "", dict(untouched)
        )

    all_activities = [a for acts in activities.values() for a in acts]
    if any(len(acts) > 255 for acts in activities.values()):
        raise ValueError("a module with more than 255 activities does not fit the packed counts")
    if all_activities and participants and with_progress:
        for user_id, course_id, packed, score_sum, score_n, pre, post in connection.execute(
            _aggregate(all_activities, members)
        ):
            participant = participants.get(user_id)
            if participant is None:
                continue
            base = untouched[course_id]
            packed = int(packed or 0)
            participant.cells[course_id] = ModuleCell(
                base.total,
                packed & 0xFF,
                (packed >> 8) & 0xFF,
                (packed >> 16) & 0xFF,
                (packed >> 24) & 0xFF,
                (packed >> 32) & 0xFF,
                (packed >> 40) & 0xFF,
                packed >> 48,
                base.graded_total,
                round(float(score_sum) / score_n, 1) if score_n else None,
                pre,
                post,
            )

    _attach_trainers(cohort, participants)
    for uid, when in db.session.execute(
        sa.select(Reminder.user_id, sa.func.max(Reminder.created_at))
        .where(Reminder.cohort_id == cohort.id)
        .group_by(Reminder.user_id)
    ):
        if uid in participants and when is not None:
            participants[uid].last_reminder = when if when.tzinfo else when.replace(tzinfo=ZoneInfo("UTC"))
    return Completion(
        cohort=cohort,
        courses=courses,
        activities=activities,
        participants=list(participants.values()),
        today=today or _today(cohort),
    )


# The per-state counts of a participant in a module are packed into one integer,
# eight bits each, and summed in a single aggregate: one sum instead of seven
# keeps the query quick at 10,000 participants (see docs/benchmarks.md).
# A module has fewer than 256 activities, so no field overflows into the next.
FIELDS = ("done", "started", "waiting", "revise", "failed", "quiz_failed", "handed_in")
_BIT = {name: 1 << (8 * index) for index, name in enumerate(FIELDS)}


def _packed(*names: str) -> int:
    return sum(_BIT[name] for name in names)


def _aggregate(activities: list[Activity], members: sa.Select) -> sa.Select:
    """Per participant and module: the packed counts by state, the parts of the
    module score, the best pre-test and post-test percents."""
    by_role: dict[str, list[int]] = {}
    for activity in activities:
        by_role.setdefault(activity_role(activity), []).append(activity.id)
    aid, status, done = Progress.activity_id, Progress.status, Progress.completed_at.is_not(None)
    graded = aid.in_(by_role.get("graded") or [0])
    quiz = aid.in_((by_role.get("post") or []) + (by_role.get("quiz") or []) or [0])
    waiting = status.in_(WAITING)
    packed = sa.case(
        (sa.and_(done, graded), _packed("done", "started", "handed_in")),
        (done, _packed("done", "started")),
        (status == "not_started", 0),
        (sa.and_(waiting, graded), _packed("started", "waiting", "handed_in")),
        (waiting, _packed("started", "waiting")),
        (sa.and_(status == "revise", graded), _packed("started", "revise", "handed_in")),
        (status == "revise", _packed("started", "revise")),
        (sa.and_(status == "failed", graded), _packed("started", "failed", "handed_in")),
        (sa.and_(status == "failed", quiz), _packed("started", "quiz_failed")),
        else_=_packed("started"),
    )
    by_factor: dict[float, list[int]] = {}
    for activity in activities:
        factor = score_factor(activity)
        if factor is not None:
            by_factor.setdefault(factor, []).append(activity.id)
    weighted = (
        (Progress.score * sa.case(*[(aid.in_(ids), factor) for factor, ids in by_factor.items()], else_=None))
        if by_factor
        else sa.cast(sa.null(), sa.Float)  # PostgreSQL cannot sum an untyped NULL
    )
    return (
        sa.select(
            Progress.user_id,
            Activity.course_id,
            sa.func.sum(packed).label("packed"),
            sa.func.sum(weighted).label("score_sum"),
            sa.func.count(weighted).label("score_n"),
            sa.func.max(sa.case((aid.in_(by_role.get("pre") or [0]), Progress.score), else_=None)).label("pre"),
            sa.func.max(sa.case((aid.in_(by_role.get("post") or [0]), Progress.score), else_=None)).label("post"),
        )
        .join(Activity, Activity.id == aid)
        # Filtering on the joined activity (not on progress.activity_id) lets the
        # database read each participant's rows in one range of the user index.
        .where(
            Activity.course_id.in_(sorted({a.course_id for a in activities})),
            Activity.archived.is_(False),
            Progress.user_id.in_(members),
        )
        .group_by(Progress.user_id, Activity.course_id)
    )


def _attach_trainers(cohort: Cohort, participants: dict[int, Participant]) -> None:
    trainers = list(
        db.session.execute(
            sa.select(User.id, User.name)
            .join(Enrolment, Enrolment.user_id == User.id)
            .where(Enrolment.cohort_id == cohort.id, Enrolment.role == "trainer")
            .order_by(User.name)
        ).tuples()
    )
    scopes = trainer_scopes(cohort)
    for p in participants.values():
        p.trainers = trainers_responsible(trainers, scopes, p.province, p.group)


# -- the participant table: filters, sorting, pages ------------------------------

SORTS = ("name", "province", "type", "group", "progress", "score")
PAGE_SIZE = 50


@dataclass
class TableQuery:
    q: str = ""
    province: str = ""
    participant_type: str = ""
    group: str = ""
    status: str = ""  # complete | incomplete | ""
    sort: str = "name"
    desc: bool = False
    page: int = 1
    extra: dict[str, str] = field(default_factory=dict)  # further arguments a page keeps in its links

    @classmethod
    def from_args(cls, args) -> TableQuery:
        sort = args.get("sort", "name")
        status = args.get("status", "")
        return cls(
            q=(args.get("q") or "").strip()[:100],
            province=args.get("province", ""),
            participant_type=args.get("type", ""),
            group=args.get("group", ""),
            status=status if status in ("complete", "incomplete") else "",
            sort=sort if sort in SORTS else "name",
            desc=args.get("desc") == "1",
            page=max(1, args.get("page", 1, type=int) or 1),
        )

    def args(self, **changes) -> dict[str, Any]:
        """Query-string arguments for a link to this view with some changes."""
        values = {
            "q": self.q,
            "province": self.province,
            "type": self.participant_type,
            "group": self.group,
            "status": self.status,
            "sort": self.sort,
            "desc": "1" if self.desc else "",
            "page": self.page,
        }
        values.update(self.extra)
        values.update(changes)
        defaults = {"sort": "name", "page": 1}
        return {k: v for k, v in values.items() if v not in ("", None) and defaults.get(k) != v}


def filter_participants(participants: list[Participant], query: TableQuery) -> list[Participant]:
    needle = query.q.casefold()
    result = [
        p
        for p in participants
        if (not needle or needle in p.name.casefold() or needle in p.email or needle in p.library.casefold())
        and (not query.province or p.province == query.province)
        and (not query.participant_type or p.participant_type == query.participant_type)
        and (not query.group or p.group == query.group)
        and (not query.status or p.completed == (query.status == "complete"))
    ]
    keys = {
        "name": lambda p: (p.name.casefold(), p.id),
        "province": lambda p: (p.province.casefold(), p.name.casefold()),
        "type": lambda p: (p.participant_type, p.name.casefold()),
        "group": lambda p: (p.group.casefold(), p.name.casefold()),
        "progress": lambda p: (p.modules_done, sum(c.done for c in p.cells.values()), p.name.casefold()),
        "score": lambda p: (p.mean_score if p.mean_score is not None else -1, p.name.casefold()),
    }
    result.sort(key=keys[query.sort], reverse=query.desc)
    return result


@dataclass
class Page:
    items: list[Any]
    page: int
    pages: int
    total: int


def paginate(items: list[Any], page: int, size: int = PAGE_SIZE) -> Page:
    pages = max(1, -(-len(items) // size))
    page = min(max(1, page), pages)
    return Page(items[(page - 1) * size : page * size], page, pages, len(items))
