"""The lesson type: a Markdown text the trainee reads and marks as read."""

from __future__ import annotations

from flask import redirect, url_for
from flask_babel import lazy_gettext as _l

from lms.coursepacks.types import ActivityType
from lms.learning.progress import get_progress, record_progress


class LessonType(ActivityType):
    name = "lesson"
    label = _l("Lesson")
    keys = {"body": ("path", True)}
    template = "activities/lesson.html"

    def load(self, loaded, source, field):
        text = source.read_text(loaded.config.get("body"), "course.toml", f"{field}body")
        if text is not None:
            source.check_markdown_links(loaded.config["body"], text)
            loaded.body = text

    def view(self, activity, user):
        return {"progress": get_progress(user.id, activity.id)}

    def handle(self, activity, user, request):
        mark_read(activity, user)
        return redirect(
            url_for("learning.activity", course=activity.course.slug, activity=activity.slug, _anchor="done")
        )

    def complete_by_request(self, activity, user) -> bool:
        mark_read(activity, user)
        return True


def mark_read(activity, user) -> None:
    record_progress(user.id, activity.id, status="completed", completed=True)
