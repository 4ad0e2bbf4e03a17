"""The lesson type: a Markdown text the trainee reads and marks as read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import redirect, url_for
from flask_babel import lazy_gettext as _l

from lms.coursepacks.contracts import ActivityTable, PackPath
from lms.coursepacks.types import ActivityType, DemoSeed
from lms.learning.progress import get_progress, record_progress
from lms.markup import word_count

if TYPE_CHECKING:  # pragma: no cover
    from typing import Any

    from flask import Request
    from werkzeug.wrappers import Response

    from lms.accounts.models import User
    from lms.coursepacks.models import Activity
    from lms.coursepacks.source import LoadedActivity, PackSource


class LessonTable(ActivityTable):
    """[[activity]] type = "lesson"."""

    body: PackPath


class LessonType(ActivityType):
    name = "lesson"
    label = _l("Lesson")
    config_model = LessonTable
    template = "activities/lesson.html"
    template_folder = "templates"
    table_column = "Lessons (words)"

    def load(self, loaded: LoadedActivity, source: PackSource, field: str) -> None:
        text = source.read_markdown(loaded.config.get("body"), f"{field}body")
        if text is not None:
            loaded.body = text

    def view(self, activity: Activity, user: User) -> dict[str, Any]:
        return {"progress": get_progress(user.id, activity.id)}

    def handle(self, activity: Activity, user: User, request: Request) -> Response:
        mark_read(activity, user)
        return redirect(
            url_for("learning.activity", course=activity.course.slug, activity=activity.slug, _anchor="done")
        )

    def complete_by_request(self, activity: Activity, user: User) -> bool:
        mark_read(activity, user)
        return True

    def table_entry(self, loaded: LoadedActivity) -> str:
        return f"{loaded.title} ({word_count(loaded.body)})"

    def seed_demo(self, activity: Activity, user: User, seed: DemoSeed) -> None:
        record_progress(user.id, activity.id, status="completed", completed=True, when=seed.when)


def mark_read(activity: Activity, user: User) -> None:
    record_progress(user.id, activity.id, status="completed", completed=True)
