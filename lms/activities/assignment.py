"""The assignment type: a brief, a rubric, a text and attachments to hand in.

Loading and validation live here; submitting and grading live in
lms.grading (the workflow is shared with the API).
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.coursepacks.types import ActivityType
from lms.errors import ServiceError
from lms.grading import submissions
from lms.grading.rubric import load_rubric
from lms.uow import attempt

ATTACHMENT_TYPES = {"jpg", "jpeg", "png", "pdf", "docx", "mp3", "m4a", "mp4"}


class AssignmentType(ActivityType):
    name = "assignment"
    label = _l("Assignment")
    keys = {
        "body": ("path", True),
        "rubric": ("path", True),
        "max_score": ("number", True),
        "pass_score": ("number", True),
        "attachments": ("strlist", False),
        "max_attempts": ("posint", False),
        "due_days": ("nonnegint", False),
        "due": ("enum:milestone", False),
        "cutoff_days": ("nonnegint", False),
        "max_file_mb": ("posint", False),
    }
    template = "activities/assignment.html"
    keeps_drafts = True

    def load(self, loaded, source, field):
        config = loaded.config
        text = source.read_text(config.get("body"), "course.toml", f"{field}body")
        if text is not None:
            source.check_markdown_links(config["body"], text)
            loaded.body = text
        if "max_score" in config and config["max_score"] <= 0:
            source.problem("course.toml", f"{field}max_score", "must be greater than 0")
        if "pass_score" in config and "max_score" in config and not 0 <= config["pass_score"] <= config["max_score"]:
            source.problem("course.toml", f"{field}pass_score", "must be between 0 and max_score")
        if "due_days" in config and "due" in config:
            source.problem("course.toml", f"{field}due", "set either due_days or due, not both")
        if "cutoff_days" in config and "due_days" in config and config["cutoff_days"] < config["due_days"]:
            source.problem("course.toml", f"{field}cutoff_days", "must not come before due_days")
        attachments = [a.lower().lstrip(".") for a in config.get("attachments", [])]
        for ext in attachments:
            if ext not in ATTACHMENT_TYPES:
                source.problem(
                    "course.toml",
                    f"{field}attachments",
                    f"file type {ext!r} is not supported (use {', '.join(sorted(ATTACHMENT_TYPES))})",
                )
        config["attachments"] = attachments
        config.setdefault("max_attempts", 1)
        if config.get("rubric"):
            loaded.rubric = load_rubric(source, config["rubric"], f"{field}rubric")

    keeps_drafts = True

    def view(self, activity, user) -> dict[str, Any]:
        return submissions.assignment_context(activity, user)

    def handle(self, activity, user, request):
        return handle_assignment_post(activity, user, request)

    def reporting_role(self, activity) -> str:
        return "graded"

    def api_fields(self, activity) -> dict[str, Any]:
        return {"max_score": activity.config["max_score"]}


def _activity_url(activity, **kwargs) -> str:
    return url_for("learning.activity", course=activity.course.slug, activity=activity.slug, **kwargs)


def handle_assignment_post(activity, user, request):
    """The assignment form: "draft" keeps the text, "submit" makes an attempt."""
    text = request.form.get("text", "")
    try:
        with attempt():
            if request.form.get("action") == "submit":
                submissions.submit(
                    user, activity, text, request.files.getlist("files"), submit_key=request.form.get("submit_key")
                )
                flash(_("Your work is submitted. You will be told when it is graded."), "success")
                return redirect(_activity_url(activity, _anchor="attempts"))
            base = request.form.get("draft_version", type=int)
            submissions.save_draft(user, activity, text, base)
            if request.form.get("action") == "preview":
                return redirect(_activity_url(activity, preview=1, _anchor="work"))
            flash(_("Draft saved."), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
        if exc.status == 409 and isinstance(exc.details, dict) and exc.details.get("reason") == "stale":
            # Keep what the trainee typed: put it back on the page beside the newer one.
            context = submissions.assignment_context(activity, user)
            return render_template("grading/draft_conflict.html", activity=activity, mine=text, **context), 409
    return redirect(_activity_url(activity, _anchor="work"))
