"""The assignment type: a brief, a rubric, a text and attachments to hand in.

Loading and validation live here; submitting and grading live in
lms.grading (the workflow is shared with the API).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from werkzeug.datastructures import FileStorage

from lms.activities.forms import AssignmentForm
from lms.coursepacks.contracts import ONE_OF, ActivityTable, NonNegativeInt, Number, PackPath, PositiveInt, TextList
from lms.coursepacks.types import ActivityType, ApiAction, ApiModel, DemoSeed, PackFile
from lms.errors import ServiceError
from lms.grading import grades, submissions
from lms.grading.rubric import load_rubric
from lms.grading.rubric_versions import require_rubric
from lms.uow import attempt

if TYPE_CHECKING:  # pragma: no cover
    from flask import Request
    from flask.typing import ResponseReturnValue

    from lms.accounts.models import User
    from lms.coursepacks.models import Activity
    from lms.coursepacks.source import LoadedActivity, PackSource

ATTACHMENT_TYPES = {"jpg", "jpeg", "png", "pdf", "docx", "mp3", "m4a", "mp4"}


class AssignmentTable(ActivityTable):
    """[[activity]] type = "assignment"."""

    body: PackPath = Field(description="The brief shown to trainees (Markdown).")
    rubric: PackPath = Field(description="The rubric file (RubricFile).")
    max_score: Number = Field(description="The grade is out of this.")
    pass_score: Number = Field(description="A released grade >= this completes the assignment.")
    attachments: TextList | None = Field(default=None, description="Allowed file types; [] or none = text only.")
    max_attempts: PositiveInt | None = Field(default=None, description="Submissions allowed (default 1).")
    due_days: NonNegativeInt | None = Field(default=None, description="Due N days after the cohort starts.")
    due: Annotated[Literal["milestone"], ONE_OF] | None = Field(
        default=None, description="Due at the end of the day before the cohort's milestone."
    )
    cutoff_days: NonNegativeInt | None = Field(default=None, description="Refused N days after the cohort starts.")
    max_file_mb: PositiveInt | None = None


# -- the API --------------------------------------------------------------------------


class SubmissionJson(ApiModel):
    """An assignment as JSON; with files, send multipart/form-data instead."""

    text: str = ""
    submit_key: str | None = Field(
        default=None, description="A random key per form: the same key twice returns the first attempt."
    )


class SubmissionForm(BaseModel):
    """An assignment as multipart/form-data: the text and the attachments."""

    model_config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)

    text: str = ""
    submit_key: str | None = None
    files: Annotated[
        list[FileStorage], WithJsonSchema({"type": "array", "items": {"type": "string", "format": "binary"}})
    ] = Field(default_factory=list, description="The attachments.")


class SubmissionReceipt(ApiModel):
    """The attempt that was handed in."""

    id: int
    attempt: int
    status: Literal["submitted", "graded", "revise", "released"]
    submitted_at: Annotated[str, Field(json_schema_extra={"format": "date-time"})]
    late: bool


def _api_submit(activity: Activity, user: User, body: SubmissionJson | SubmissionForm) -> SubmissionReceipt:
    files = body.files if isinstance(body, SubmissionForm) else []
    submission = submissions.submit(user, activity, body.text, files, submit_key=body.submit_key)
    return SubmissionReceipt(
        id=submission.id,
        attempt=submission.attempt,
        status=submission.status,  # type: ignore[arg-type]  # a new attempt is "submitted"
        submitted_at=submission.submitted_at.isoformat(),
        late=submission.late,
    )


# -- the type ---------------------------------------------------------------------------


class AssignmentType(ActivityType):
    name = "assignment"
    label = _l("Assignment")
    config_model = AssignmentTable
    files = {"rubric": PackFile(load_rubric)}
    template = "activities/assignment.html"
    template_folder = "templates"
    keeps_drafts = True
    api_actions = {
        "submissions": ApiAction(
            run=_api_submit,
            summary="Submit an assignment: JSON {text} or multipart/form-data (text and files)",
            body=SubmissionJson,
            form=SubmissionForm,
            ok=SubmissionReceipt,
            status=201,
            errors=(403, 404, 409, 422),
            not_here="This activity is not an assignment.",
        )
    }
    table_column = "Assignments: rubric criteria (max points)"

    def load(self, loaded: LoadedActivity, source: PackSource, field: str) -> None:
        config = loaded.config
        text = source.read_markdown(config.get("body"), f"{field}body")
        if text is not None:
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

    def view(self, activity: Activity, user: User) -> dict[str, Any]:
        return submissions.assignment_context(activity, user)

    def handle(self, activity: Activity, user: User, request: Request) -> ResponseReturnValue:
        return handle_assignment_post(activity, user, request)

    def reporting_role(self, activity: Activity) -> str:
        return "graded"

    def max_score(self, activity: Activity) -> float | None:
        return float(activity.config["max_score"])

    def api_fields(self, activity: Activity) -> dict[str, Any]:
        return {"max_score": activity.config["max_score"]}

    def table_entry(self, loaded: LoadedActivity) -> str:
        config = loaded.config
        criteria = ", ".join(f"{c['id']} ({c['levels'][-1]['points']:g})" for c in loaded.files["rubric"]["criteria"])
        return f"**{loaded.title}** /{config['max_score']:g}, pass {config['pass_score']:g}: {criteria}"

    def seed_demo(self, activity: Activity, user: User, seed: DemoSeed) -> None:
        # Most work is graded and released; a diligent trainee's gets full marks.
        rng, diligent = seed.rng, seed.diligent
        text = (
            "Berita kegiatan perpustakaan desa: pelatihan membuat keripik untuk ibu-ibu PKK, "
            "diikuti 25 peserta, bekerja sama dengan pemerintah desa."
        )
        submission = submissions.submit(user, activity, text, now=seed.when)
        if diligent or rng.random() < 0.75:
            rubric = require_rubric(activity)
            picked = {
                c["id"]: c["levels"][-1 if diligent or rng.random() < 0.6 else -2]["points"] for c in rubric.criteria
            }
            outcome = "release" if diligent or rng.random() < 0.85 else "save"
            grades.grade_submission(
                seed.grader,
                submission.id,
                version=submission.version,
                criteria=picked,
                feedback="Tulisan jelas dan runtut.",
                outcome=outcome,
            )


def _activity_url(activity: Activity, **kwargs: Any) -> str:
    return url_for("learning.activity", course=activity.course.slug, activity=activity.slug, **kwargs)


def handle_assignment_post(activity: Activity, user: User, request: Request) -> ResponseReturnValue:
    """The assignment form: "draft" keeps the text, "submit" makes an attempt."""
    form = AssignmentForm()
    form.validate()
    text = form.text.data or ""
    try:
        with attempt():
            if form.action.data == "submit":
                submissions.submit(
                    user, activity, text, request.files.getlist("files"), submit_key=form.submit_key.data or None
                )
                flash(_("Your work is submitted. You will be told when it is graded."), "success")
                return redirect(_activity_url(activity, _anchor="attempts"))
            submissions.save_draft(user, activity, text, form.draft_version.data)
            if form.action.data == "preview":
                return redirect(_activity_url(activity, preview=1, _anchor="work"))
            flash(_("Draft saved."), "success")
    except ServiceError as exc:
        flash(exc.message, "error")
        if exc.status == 409 and isinstance(exc.details, dict) and exc.details.get("reason") == "stale":
            # Keep what the trainee typed: put it back on the page beside the newer one.
            context = submissions.assignment_context(activity, user)
            return render_template("grading/draft_conflict.html", activity=activity, mine=text, **context), 409
    return redirect(_activity_url(activity, _anchor="work"))
