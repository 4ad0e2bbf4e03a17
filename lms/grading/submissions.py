"""A trainee's side of an assignment: drafts, due dates, submitting, results."""

from __future__ import annotations

import secrets
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from lms import storage as uploads
from lms.accounts.models import User
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.coursepacks.models import Activity
from lms.errors import Conflict, Invalid, NotFound
from lms.extensions import db, utcnow
from lms.grading.models import Draft, Grade, Submission, SubmissionFile
from lms.grading.notifications import notify
from lms.grading.rubric_versions import current_rubric
from lms.learning.progress import record_progress
from lms.signals import app_sender, submission_sent

OPEN_STATUSES = ("submitted", "graded")
# What a page or the API shows with a submission, loaded with it (no N+1).
SUBMISSION_DETAILS = (
    selectinload(Submission.files),
    selectinload(Submission.grade).joinedload(Grade.rubric_version),
)


def cohort_for(user: User, activity: Activity) -> Cohort | None:
    """The trainee's (newest) cohort that includes the activity's course."""
    return cohorts.trainee_cohort_for_course(user, activity.course_id)


def _end_of_day(day, tz: str) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(tz))


def deadlines(activity: Activity, cohort: Cohort | None) -> tuple[datetime | None, datetime | None]:
    """(due, cutoff) as aware datetimes, from the cohort's dates in its time zone."""
    if cohort is None:
        return None, None
    config = activity.config
    due = cutoff = None
    if "due_days" in config:
        due = _end_of_day(cohort.start_date + timedelta(days=config["due_days"]), cohort.timezone)
    elif config.get("due") == "milestone" and cohort.milestone_date:
        # Due before the meeting opens: the end of the day before the milestone.
        due = _end_of_day(cohort.milestone_date - timedelta(days=1), cohort.timezone)
    if "cutoff_days" in config:
        cutoff = _end_of_day(cohort.start_date + timedelta(days=config["cutoff_days"]), cohort.timezone)
    return due, cutoff


def attempts_of(user_id: int, activity_id: int) -> list[Submission]:
    return list(
        db.session.scalars(
            sa.select(Submission)
            .where(Submission.user_id == user_id, Submission.activity_id == activity_id)
            .options(*SUBMISSION_DETAILS)
            .order_by(Submission.attempt)
        )
    )


def get_draft(user: User, activity: Activity) -> Draft | None:
    return db.session.scalar(sa.select(Draft).where(Draft.user_id == user.id, Draft.activity_id == activity.id))


def submit_block_reason(
    activity: Activity, attempts: list[Submission], cutoff: datetime | None, now: datetime | None = None
) -> str | None:
    """Why a new attempt cannot be made now, or None when it can."""
    now = now or utcnow()
    latest = attempts[-1] if attempts else None
    if latest is not None and latest.status in OPEN_STATUSES:
        return _("Your work is submitted and waiting for a grade.")
    if latest is not None and latest.status == "released" and _passed(activity, latest):
        return _("Your work is graded and complete.")
    if len(attempts) >= activity.config.get("max_attempts", 1):
        return _("You have used all %(n)s attempts of this assignment.", n=activity.config.get("max_attempts", 1))
    if cutoff is not None and now > cutoff:
        return _("Submissions closed on %(date)s.", date=cutoff.strftime("%d-%m-%Y %H:%M"))
    return None


def _passed(activity: Activity, submission: Submission) -> bool:
    return submission.grade is not None and submission.grade.score >= activity.config["pass_score"]


def save_draft(user: User, activity: Activity, text: str, base_version: int | None) -> Draft:
    """Keep the trainee's text. `base_version` is the draft version the text was
    written on; an older one means another tab or a stale autosave: refused."""
    attempts = attempts_of(user.id, activity.id)
    latest = attempts[-1] if attempts else None
    if latest is not None and (
        latest.status in OPEN_STATUSES or (latest.status == "released" and _passed(activity, latest))
    ):
        raise Conflict(_("This work is already submitted; the draft can no longer change."), {"reason": "submitted"})
    draft = get_draft(user, activity)
    if draft is None:
        draft = Draft(user_id=user.id, activity_id=activity.id, text="", version=0)
        db.session.add(draft)
    elif base_version is not None and base_version < draft.version:
        raise Conflict(
            _("A newer version of this draft was saved elsewhere."),
            {"reason": "stale", "version": draft.version, "text": draft.text},
        )
    draft.text = text
    draft.version += 1
    draft.updated_at = utcnow()
    db.session.flush()
    return draft


def submit(
    user: User,
    activity: Activity,
    text: str,
    files: list[FileStorage] | None = None,
    submit_key: str | None = None,
    now: datetime | None = None,
) -> Submission:
    """Make a new attempt. The same `submit_key` twice (a double click) gives the
    same attempt back instead of a second one."""
    now = now or utcnow()
    if submit_key:
        existing = db.session.scalar(
            sa.select(Submission).where(
                Submission.user_id == user.id,
                Submission.activity_id == activity.id,
                Submission.submit_key == submit_key,
            )
        )
        if existing is not None:
            return existing
    cohort = cohort_for(user, activity)
    if cohort is None:
        raise NotFound(_("You are not enrolled in a cohort with this module."))
    due, cutoff = deadlines(activity, cohort)
    attempts = attempts_of(user.id, activity.id)
    reason = submit_block_reason(activity, attempts, cutoff, now)
    if reason:
        raise Conflict(reason)
    checked = uploads.check_files(
        files or [], activity.config.get("attachments", []), activity.config.get("max_file_mb")
    )
    text = (text or "").strip()
    if not text and not checked:
        raise Invalid(_("Write your work or attach a file before submitting."), {"field": "text"})
    stored: list[str] = []
    try:
        submission = Submission(
            user_id=user.id,
            activity_id=activity.id,
            attempt=len(attempts) + 1,
            text=text,
            status="submitted",
            late=due is not None and now > due,
            submit_key=submit_key,
            submitted_at=now,
            updated_at=now,
        )
        db.session.add(submission)
        for item in checked:
            name = uploads.store(item)
            stored.append(name)
            submission.files.append(
                SubmissionFile(
                    original_name=item.original_name,
                    stored_name=name,
                    content_type=item.content_type,
                    size=len(item.data),
                )
            )
        db.session.flush()
    except Exception:
        uploads.remove(stored)
        raise
    draft = get_draft(user, activity)
    if draft is not None:
        draft.text, draft.version = "", draft.version + 1
    record_progress(user.id, activity.id, status="submitted", completed=False)
    for trainer in cohorts.members(cohort, "trainer"):
        notify(
            trainer.id,
            "submission",
            _("%(name)s submitted %(title)s.", name=user.name, title=activity.title),
            f"/grading/submissions/{submission.id}",
        )
    db.session.flush()
    submission_sent.send(app_sender(), submission=submission)
    return submission


def assignment_context(activity: Activity, user: User) -> dict[str, Any]:
    """What the assignment page needs for a trainee."""
    cohort = cohort_for(user, activity)
    due, cutoff = deadlines(activity, cohort)
    attempts = attempts_of(user.id, activity.id)
    draft = get_draft(user, activity)
    latest = attempts[-1] if attempts else None
    return {
        "rubric": current_rubric(activity),
        "due": due,
        "cutoff": cutoff,
        "is_late": due is not None and utcnow() > due,
        "attempts": attempts,
        "latest": latest,
        "draft": draft,
        "block_reason": submit_block_reason(activity, attempts, cutoff),
        "submit_key": secrets.token_hex(16),
        "max_file_mb": activity.config.get("max_file_mb") or None,
    }
