"""Exports of a cohort as CSV and XLSX: completion and scores per module, the
full gradebook, the at-risk list. The figures come from the same computation
as the dashboard (lms.reports.completion), so they are equal by construction;
a test checks it. Text cells that a spreadsheet would run as a formula are
neutralised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.cohorts.models import Enrolment
from lms.extensions import db
from lms.grading.models import Grade, RubricVersion, Submission
from lms.reports import xlsx
from lms.reports.completion import BLOCKERS, Completion, activity_role

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
KINDS = ("completion", "gradebook", "at-risk")


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]


def safe(value: Any) -> Any:
    """Text a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _person_headers() -> list[str]:
    return ["id", "name", "email", "participant_type", "library", "regency", "province", "group"]


def _person(p) -> list[Any]:
    return [p.id, p.name, p.email, p.participant_type, p.library, p.regency, p.province, p.group]


def completion_table(completion: Completion) -> Table:
    headers = _person_headers()
    for course in completion.courses:
        headers += [f"{course.slug} status", f"{course.slug} done", f"{course.slug} score"]
    headers += ["modules_completed", "modules", "completed"]
    rows = []
    for p in completion.participants:
        row = _person(p)
        for course in completion.courses:
            cell = p.cells[course.id]
            row += [cell.status, f"{cell.done}/{cell.total}", cell.score]
        row += [p.modules_done, len(completion.courses), "yes" if p.completed else "no"]
        rows.append(row)
    return Table(_("Completion"), headers, rows)


def blockers_text(blockers: dict[str, int], labels: dict[str, str] | None = None) -> str:
    labels = labels or {code: str(label) for code, label in BLOCKERS.items()}
    return "; ".join(f"{labels[code]} ({n})" for code, n in blockers.items())


def at_risk_table(completion: Completion) -> Table:
    headers = _person_headers() + ["trainers", "missing"]
    headers += [f"{course.slug} blockers" for course in completion.courses]
    headers += ["last_reminder"]
    rows = []
    labels = {code: str(label) for code, label in BLOCKERS.items()}  # translated once, not per cell
    for p in completion.at_risk():
        row = _person(p) + [", ".join(p.trainers), " ".join(c.slug for c in completion.missing(p))]
        row += [blockers_text(p.cells[course.id].blockers, labels) for course in completion.courses]
        row += [p.last_reminder.isoformat(timespec="minutes") if p.last_reminder else ""]
        rows.append(row)
    return Table(_("At risk"), headers, rows)


def gradebook_table(completion: Completion) -> Table:
    """Every criterion of every graded activity of the cohort, for each
    participant: the points of the latest graded attempt (Grade.points), its
    score and status. Three queries whatever the size."""
    graded = [
        a for course in completion.courses for a in completion.activities[course.id] if activity_role(a) == "graded"
    ]
    ids = [a.id for a in graded]
    criteria: dict[int, list[str]] = {a.id: [] for a in graded}
    for rubric in db.session.scalars(
        sa.select(RubricVersion)
        .where(RubricVersion.activity_id.in_(ids or [0]))
        .order_by(RubricVersion.activity_id, RubricVersion.version.desc())
    ):
        for criterion in rubric.data.get("criteria", []):
            if criterion["id"] not in criteria[rubric.activity_id]:
                criteria[rubric.activity_id].append(criterion["id"])
    people = {p.id for p in completion.participants}
    latest: dict[tuple[int, int], tuple] = {}
    rows_q = (
        sa.select(
            Submission.user_id,
            Submission.activity_id,
            Submission.attempt,
            Submission.status,
            Grade.points,
            Grade.score,
            Grade.max_score,
            RubricVersion.version,
        )
        .outerjoin(Grade, Grade.submission_id == Submission.id)
        .outerjoin(RubricVersion, RubricVersion.id == Grade.rubric_version_id)
        .where(Submission.activity_id.in_(ids or [0]), Submission.user_id.in_(_member_ids(completion)))
        .order_by(Submission.attempt)
    )
    for user_id, activity_id, attempt, status, points, score, max_score, version in db.session.connection().execute(
        rows_q
    ):
        if user_id in people:
            latest[(user_id, activity_id)] = (attempt, status, points or {}, score, max_score, version)
    headers = _person_headers()
    for activity in graded:
        prefix = f"{activity.course.slug}/{activity.slug}"
        headers += [f"{prefix} {cid}" for cid in criteria[activity.id]]
        headers += [
            f"{prefix} score",
            f"{prefix} max_score",
            f"{prefix} status",
            f"{prefix} attempt",
            f"{prefix} rubric_version",
        ]
    rows = []
    for p in completion.participants:
        row = _person(p)
        for activity in graded:
            found = latest.get((p.id, activity.id))
            if found is None:
                row += [None] * len(criteria[activity.id]) + [None, activity.config["max_score"], "", None, None]
                continue
            attempt, status, points, score, max_score, version = found
            row += [points.get(cid) for cid in criteria[activity.id]]
            row += [
                score,
                max_score if max_score is not None else activity.config["max_score"],
                status,
                attempt,
                version,
            ]
        rows.append(row)
    return Table(_("Gradebook"), headers, rows)


def _member_ids(completion: Completion) -> sa.Select:
    return sa.select(Enrolment.user_id).where(Enrolment.cohort_id == completion.cohort.id, Enrolment.role == "trainee")


def build(kind: str, completion: Completion) -> Table:
    return {"completion": completion_table, "gradebook": gradebook_table, "at-risk": at_risk_table}[kind](completion)


def to_csv(table: Table, delimiter: str = ",") -> bytes:
    """UTF-8 with a byte-order mark, so that Excel reads the letters right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe(h) for h in table.headers])
    for row in table.rows:
        writer.writerow(["" if v is None else safe(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    return xlsx.write(table.title, ([safe(v) for v in row] for row in [table.headers, *table.rows]))
