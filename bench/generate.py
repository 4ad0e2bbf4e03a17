"""Synthetic cohorts for benchmarks and scale tests: participants, their
libraries, enrolments, progress rows, submissions and grades, written with bulk
inserts (a handful of statements whatever the size).

The progress is shaped like the demo's: most people far along, some behind, a
few not started; quizzes passed or failed, graded work waiting, returned,
failed or passed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from lms.accounts.models import Library, User
from lms.cohorts.models import Cohort, Enrolment
from lms.coursepacks.models import Activity
from lms.demo.data import PROVINCES
from lms.extensions import db
from lms.grading.models import Grade, Submission
from lms.grading.rubric_versions import current_rubric
from lms.learning.models import Progress
from lms.reports.completion import activity_role

TYPES = [
    "provincial_facilitator",
    "district_facilitator",
    "provincial_synergy_team",
    "district_synergy_team",
    "village_library_manager",
    "village_library_manager",
    "village_library_manager",
]
START = datetime(2019, 10, 28, 3, tzinfo=UTC)


def populate(cohort: Cohort, count: int, *, seed: int = 2019, prefix: str = "p") -> list[int]:
    """Add `count` trainees with progress to the cohort; returns their ids."""
    rng = random.Random(seed)
    provinces = list(PROVINCES)
    libraries = [
        {
            "name": f"Perpustakaan Desa {prefix}{i}",
            "kind": "village",
            "village": f"Desa {i}",
            "regency": PROVINCES[provinces[i % len(provinces)]][0],
            "province": provinces[i % len(provinces)],
        }
        for i in range(max(1, count // 4))
    ]
    library_ids = _insert(Library, libraries)
    ids = _insert(
        User,
        [
            {
                "name": f"Peserta {prefix}{i:05d}",
                "email": f"{prefix}{i:05d}@bench.example.org",
                "role": "trainee",
                "participant_type": TYPES[i % len(TYPES)],
                "library_id": library_ids[i % len(library_ids)],
                "session_token": f"t{prefix}{i}",
            }
            for i in range(count)
        ],
    )
    db.session.execute(
        sa.insert(Enrolment),
        [
            {"cohort_id": cohort.id, "user_id": uid, "role": "trainee", "group_name": f"Kelas {uid % 6 + 1}"}
            for uid in ids
        ],
    )
    activities = list(
        db.session.scalars(
            sa.select(Activity)
            .where(Activity.course_id.in_([c.id for c in cohort.courses]), Activity.archived.is_(False))
            .order_by(Activity.course_id, Activity.position)
        )
    )
    by_course: dict[int, list[Activity]] = {}
    for activity in activities:
        by_course.setdefault(activity.course_id, []).append(activity)
    progress, submissions = [], []
    for uid in ids:
        # Most finish and pass everything; some finish with setbacks; some stop
        # part way; a few never start.
        profile = rng.choices(["finisher", "setbacks", "partial", "absent"], weights=[55, 20, 15, 10])[0]
        share = {"finisher": 1, "setbacks": 1, "partial": rng.choice([0.3, 0.6, 0.8, 0.9]), "absent": 0}[profile]
        for course_acts in by_course.values():
            stop = round(len(course_acts) * share)
            for activity in course_acts[:stop]:
                row = _progress_row(rng, uid, activity, passes=profile == "finisher")
                progress.append(row)
                if activity_role(activity) == "graded" and row["status"] != "in_progress":
                    submissions.append((row, activity))
    if progress:
        db.session.execute(sa.insert(Progress), progress)
    _submissions(rng, submissions)
    db.session.flush()
    return ids


def _insert(model, rows: list[dict]) -> list[int]:
    """Bulk insert; the new ids in the order of the rows."""
    return list(db.session.scalars(sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _progress_row(rng: random.Random, uid: int, activity: Activity, passes: bool = False) -> dict:
    when = START + timedelta(days=rng.randint(0, 25), hours=rng.randint(0, 10))
    role = activity_role(activity)
    row = {
        "user_id": uid,
        "activity_id": activity.id,
        "status": "completed",
        "score": None,
        "completed_at": when,
        "updated_at": when,
    }
    if role in ("pre", "post", "quiz"):
        score = float(rng.choice([70, 80, 90, 100] if passes else [40, 50, 60, 70, 80, 90, 100]))
        passed = role == "pre" or score >= activity.config.get("pass_percent", 0)
        row.update(score=score, status="completed" if passed else "failed", completed_at=when if passed else None)
    elif role == "graded":
        outcome = (
            "passed"
            if passes
            else rng.choices(
                ["passed", "failed", "submitted", "graded", "revise", "in_progress"], weights=[70, 5, 10, 5, 5, 5]
            )[0]
        )
        max_score = float(activity.config["max_score"])
        if outcome == "passed":
            row.update(score=float(rng.randint(int(activity.config["pass_score"]), int(max_score))))
        elif outcome == "failed":
            row.update(
                score=float(rng.randint(0, max(0, int(activity.config["pass_score"]) - 1))),
                status="failed",
                completed_at=None,
            )
        else:
            row.update(status=outcome, completed_at=None)
    return row


def _submissions(rng: random.Random, items: list[tuple[dict, Activity]]) -> None:
    """A submission per handed-in piece of graded work, and a grade where one was given."""
    if not items:
        return
    status_of = {
        "completed": "released",
        "failed": "released",
        "submitted": "submitted",
        "graded": "graded",
        "revise": "revise",
    }
    submission_ids = _insert(
        Submission,
        [
            {
                "user_id": row["user_id"],
                "activity_id": activity.id,
                "attempt": 1,
                "text": "Berita kegiatan.",
                "status": status_of[row["status"]],
                "version": 1,
                "submitted_at": row["updated_at"],
                "updated_at": row["updated_at"],
            }
            for row, activity in items
        ],
    )
    grades = []
    for offset, (row, activity) in enumerate(items):
        if row["status"] in ("completed", "failed", "graded", "revise"):
            rubric = current_rubric(activity)
            points = {c["id"]: rng.choice(c["levels"])["points"] for c in rubric.criteria}
            score = (
                row["score"] if row["score"] is not None else float(rng.randint(0, int(activity.config["max_score"])))
            )
            grades.append(
                {
                    "submission_id": submission_ids[offset],
                    "rubric_version_id": rubric.id,
                    "points": points,
                    "comments": {},
                    "feedback": "",
                    "score": score,
                    "max_score": float(activity.config["max_score"]),
                    "released_at": row["updated_at"] if row["status"] in ("completed", "failed") else None,
                    "updated_at": row["updated_at"],
                }
            )
    if grades:
        db.session.execute(sa.insert(Grade), grades)
