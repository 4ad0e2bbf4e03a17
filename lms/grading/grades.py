"""Grading: the status machine, the version check, history, completion."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from lms.accounts.models import User
from lms.coursepacks.models import Activity
from lms.errors import Conflict, Forbidden, Invalid, NotFound
from lms.extensions import db, utcnow
from lms.grading import policy
from lms.grading.models import Grade, GradeEvent, Submission
from lms.grading.notifications import notify, notify_many
from lms.grading.rubric import check_picked, compute_score
from lms.grading.rubric_versions import require_rubric
from lms.learning.progress import ProgressChange, record_many, record_progress
from lms.signals import app_sender, grade_released

OUTCOMES = ("save", "release", "revise")
# status -> outcomes allowed from it. "revise" waits for the trainee's next
# attempt; a released grade can only be changed by releasing a new one (regrade).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submitted": ("save", "release", "revise"),
    "graded": ("save", "release", "revise"),
    "released": ("release",),
    "revise": (),
}
NEW_STATUS = {"save": "graded", "release": "released", "revise": "revise"}


def get_gradable(grader: User, submission_id: int) -> Submission:
    if not policy.may_grade_at_all(grader):
        raise Forbidden(_("Only trainers grade work."))
    submission = db.session.scalar(policy.gradable_submissions(grader).where(Submission.id == submission_id))
    if submission is None:
        raise NotFound(_("No such submission."))
    return submission


def grade_as_dict(grade: Grade | None) -> dict[str, Any] | None:
    if grade is None:
        return None
    return {
        "score": grade.score,
        "max_score": grade.max_score,
        "criteria": grade.points,
        "comments": grade.comments,
        "feedback": grade.feedback,
        "rubric_version": grade.rubric_version.version,
        "grader": grade.grader.name if grade.grader else None,
        "released": grade.released_at is not None,
    }


def grade_submission(
    grader: User,
    submission_id: int,
    *,
    version: int | None,
    criteria: dict[str, Any],
    comments: dict[str, str] | None = None,
    feedback: str = "",
    outcome: str = "save",
) -> Submission:
    """Grade against the version the grader last read. The shapes (a version
    number, criteria and comments per criterion id, a feedback text) are checked
    where the grade comes in (lms.api.schemas.GradeIn, the grading form); here
    the rules: an outcome allowed from the status, the version, the rubric's levels."""
    submission = get_gradable(grader, submission_id)
    activity = submission.activity
    comments = comments or {}
    if outcome not in OUTCOMES:
        raise Invalid(_("The outcome must be save, release or revise."), [{"field": "outcome", "message": "unknown"}])
    if version is None:
        raise Invalid(_("The submission version is required."), [{"field": "version", "message": "required"}])
    if version != submission.version:
        raise Conflict(
            _(
                "Someone else changed this submission while you were grading. Both grades are shown; "
                "check them and save again."
            ),
            {
                "current_version": submission.version,
                "current": grade_as_dict(submission.grade),
                "yours": {"criteria": criteria, "comments": comments, "feedback": feedback},
            },
        )
    if outcome not in TRANSITIONS[submission.status]:
        raise Conflict(
            _(
                "A %(status)s submission cannot be given the outcome %(outcome)s.",
                status=submission.status,
                outcome=outcome,
            )
        )
    rubric = require_rubric(activity)
    problems = check_picked(rubric.data, criteria)
    known = {c["id"] for c in rubric.criteria}
    problems += [{"field": f"comments.{k}", "message": "unknown criterion"} for k in comments if k not in known]
    if problems:
        raise Invalid(_("The grade does not fit the rubric."), problems)
    max_score = activity.config["max_score"]
    score = compute_score(rubric.data, criteria, max_score)
    grade = submission.grade
    old_score = grade.score if grade else None
    if grade is None:
        grade = Grade(submission=submission, score=score, max_score=max_score, rubric_version_id=rubric.id)
        db.session.add(grade)
    now = utcnow()
    grade.rubric_version_id, grade.grader_id = rubric.id, grader.id
    grade.points = dict(criteria)
    grade.comments = {k: v.strip() for k, v in comments.items() if v.strip()}
    grade.feedback, grade.score, grade.max_score = feedback.strip(), score, max_score
    grade.updated_at = now
    if outcome == "release":
        grade.released_at = now
    submission.status = NEW_STATUS[outcome]
    submission.version += 1
    submission.updated_at = now
    db.session.add(
        GradeEvent(
            submission_id=submission.id,
            actor_id=grader.id,
            action=outcome,
            old_score=old_score,
            new_score=score,
            rubric_version=rubric.version,
            status=submission.status,
        )
    )
    _update_progress(submission, score)
    db.session.flush()
    return submission


def _update_progress(submission: Submission, score: float) -> None:
    activity = submission.activity
    link = f"/courses/{activity.course.slug}/{activity.slug}"
    if submission.status == "released":
        passed = score >= activity.config["pass_score"]
        record_progress(
            submission.user_id, activity.id, status="completed" if passed else "failed", completed=passed, score=score
        )
        _notify_released(submission, score)
        if submission.grade is not None:
            grade_released.send(app_sender(), submission=submission, grade=submission.grade)
    elif submission.status == "revise":
        record_progress(submission.user_id, activity.id, status="revise", completed=False)
        notify(
            submission.user_id, "revise", _("%(title)s was returned to you for revision.", title=activity.title), link
        )
    else:
        record_progress(submission.user_id, activity.id, status="graded", completed=False)


def _released_notice(submission: Submission, score: float) -> tuple[int, str, str, str]:
    activity = submission.activity
    message = _(
        "Your grade for %(title)s is out: %(score)s/%(max)s.",
        title=activity.title,
        score=f"{score:g}",
        max=f"{activity.config['max_score']:g}",
    )
    return submission.user_id, "released", message, f"/courses/{activity.course.slug}/{activity.slug}"


def _notify_released(submission: Submission, score: float) -> None:
    notify(*_released_notice(submission, score))


def release_many(grader: User, submission_ids: list[int]) -> int:
    """Release every graded submission in the list that the grader may grade, as
    graded (the score and rubric version stay), in a fixed number of queries."""
    items = list(
        db.session.scalars(
            policy.gradable_submissions(grader)
            .where(Submission.id.in_(submission_ids or [0]), Submission.status == "graded")
            .options(
                selectinload(Submission.grade).selectinload(Grade.rubric_version),
                selectinload(Submission.activity).selectinload(Activity.course),
            )
        )
    )
    now = utcnow()
    changes: list[ProgressChange] = []
    events: list[dict[str, Any]] = []
    notices: list[tuple[int, str, str, str]] = []
    released: list[tuple[Submission, Grade]] = []
    for submission in items:
        grade, activity = submission.grade, submission.activity
        if grade is None:
            continue
        grade.released_at, grade.updated_at, grade.grader_id = now, now, grader.id
        submission.status, submission.updated_at = "released", now
        submission.version += 1
        events.append(
            {
                "submission_id": submission.id,
                "actor_id": grader.id,
                "action": "release",
                "old_score": grade.score,
                "new_score": grade.score,
                "rubric_version": grade.rubric_version.version,
                "status": "released",
                "created_at": now,
            }
        )
        passed = grade.score >= activity.config["pass_score"]
        changes.append(
            ProgressChange(submission.user_id, activity.id, "completed" if passed else "failed", passed, grade.score)
        )
        notices.append(_released_notice(submission, grade.score))
        released.append((submission, grade))
    db.session.flush()
    if events:
        db.session.execute(sa.insert(GradeEvent), events)
    notify_many(notices)
    record_many(changes)
    for submission, grade in released:
        grade_released.send(app_sender(), submission=submission, grade=grade)
    return len(released)


def history(submission: Submission) -> list[GradeEvent]:
    return list(
        db.session.scalars(
            sa.select(GradeEvent).where(GradeEvent.submission_id == submission.id).order_by(GradeEvent.id)
        )
    )
