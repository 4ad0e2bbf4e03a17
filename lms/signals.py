"""The events one area announces and others react to (blinker signals).

An area sends a signal after it has flushed its own change; subscribers run
inside the same unit of work, so what they write commits or rolls back with
the request. Work that must wait for the commit (mail, jobs) is queued from a
subscriber with `lms.uow.after_commit`.

Each signal is sent with the Flask app as sender (`current_app._get_current_object()`)
and keyword arguments listed in its docstring.
"""

from __future__ import annotations

from typing import Any

from blinker import Namespace
from flask import current_app

_signals = Namespace()

activity_synced = _signals.signal(
    "activity-synced",
    doc="""A course pack's activity was created or updated by a sync.
    activity: coursepacks.models.Activity (flushed, with its id)
    loaded: coursepacks.source.LoadedActivity (what the pack says, incl. extra files such as a rubric)""",
)

submission_sent = _signals.signal(
    "submission-sent",
    doc="""A trainee handed in an attempt of an assignment.
    submission: grading.models.Submission (flushed)""",
)

grade_released = _signals.signal(
    "grade-released",
    doc="""A grade became visible to its trainee.
    submission: grading.models.Submission; grade: grading.models.Grade""",
)

progress_changed = _signals.signal(
    "progress-changed",
    doc="""A trainee's progress row on one activity changed.
    user_id: int; activity_id: int; progress: learning.models.Progress""",
)

module_completed = _signals.signal(
    "module-completed",
    doc="""Every activity of a module is now complete for a trainee.
    user_id: int; course_id: int""",
)

participant_enrolled = _signals.signal(
    "participant-enrolled",
    doc="""People were enrolled in a cohort.
    cohort: cohorts.models.Cohort; user_ids: list[int]; role: str ("trainee" or "trainer")""",
)

certificate_issued = _signals.signal(
    "certificate-issued",
    doc="""A certificate was issued.
    certificate: certificates.models.Certificate (flushed)""",
)


def app_sender() -> Any:
    """The sender of every signal: the application itself (not its proxy)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


ALL = (
    activity_synced,
    submission_sent,
    grade_released,
    progress_changed,
    module_completed,
    participant_enrolled,
    certificate_issued,
)
