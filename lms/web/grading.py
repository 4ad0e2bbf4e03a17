"""Pages of the grading workflow: the trainee's submit and draft, the trainer's
queue and grading page, attachments, notifications."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms import storage as uploads
from lms.activities import get_activity_type
from lms.authz import permission_required
from lms.cohorts.services import get_course_for
from lms.errors import ServiceError
from lms.extensions import db
from lms.grading import grades, policy, services, submissions
from lms.grading.forms import BulkReleaseForm, grade_form
from lms.grading.models import Submission, SubmissionFile
from lms.grading.notifications import mark_read
from lms.grading.rubric_versions import current_rubric, require_rubric
from lms.learning.services import get_activity
from lms.uow import attempt

bp = Blueprint("grading", __name__)


def _activity_or_404(course_slug: str, activity_slug: str):
    course = get_course_for(current_user, course_slug)
    activity = get_activity(course, activity_slug)
    if activity is None or not get_activity_type(activity.type).keeps_drafts:
        abort(404)
    return activity


@bp.post("/courses/<course>/<activity>/draft")
def autosave(course: str, activity: str):
    """Autosave from the page script: JSON in, JSON out. A signed-out trainee gets
    401 and the script keeps the text in the browser until they sign in again."""
    if not current_user.is_authenticated:
        return jsonify(
            {"error": {"code": "unauthorized", "message": _("Please sign in again; your text is kept on this device.")}}
        ), 401
    found = _activity_or_404(course, activity)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        return jsonify({"error": {"code": "bad_request", "message": "expected {text, version}"}}), 400
    version = body.get("version")
    draft = submissions.save_draft(current_user, found, body["text"], version if isinstance(version, int) else None)
    return jsonify({"version": draft.version, "saved_at": draft.updated_at.isoformat()})


@bp.get("/courses/<course>/<activity>/compare")
@login_required
def compare(course: str, activity: str):
    found = _activity_or_404(course, activity)
    attempts = {s.attempt: s for s in submissions.attempts_of(current_user.id, found.id)}
    left, right = attempts.get(request.args.get("a", 0, type=int)), attempts.get(request.args.get("b", 0, type=int))
    if left is None or right is None:
        abort(404)
    return render_template("grading/compare.html", activity=found, left=left, right=right)


@bp.get("/submissions/<int:submission_id>/files/<int:file_id>")
@login_required
def download(submission_id: int, file_id: int):
    item = db.session.get(SubmissionFile, file_id)
    if item is None or item.submission_id != submission_id or not policy.can_view(current_user, item.submission):
        abort(404)
    response = send_file(
        uploads.path_of(item.stored_name),
        mimetype=item.content_type,
        as_attachment=True,
        download_name=item.original_name,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.get("/grading")
@permission_required("grading.see_queue")
def queue():
    filters = services.QueueFilter.from_args(request.args)
    pagination = services.queue(current_user, filters, page=request.args.get("page", 1, type=int))
    return render_template(
        "grading/queue.html",
        items=pagination.items,
        pagination=pagination,
        counts=services.status_counts(current_user, filters),
        filters=filters,
        may_grade=policy.may_grade_at_all(current_user),
    )


@bp.post("/grading/release")
@permission_required("grading.grade")
def bulk_release():
    form = BulkReleaseForm()
    form.validate()
    ids = list(form.submission.data or [])
    count = grades.release_many(current_user, ids)
    flash(_("%(n)s grades released.", n=count), "success")
    return redirect(url_for("grading.queue", status="graded"))


@bp.route("/grading/submissions/<int:submission_id>", methods=["GET", "POST"])
@permission_required("grading.see_queue")
def grade(submission_id: int):
    submission = db.session.scalar(policy.visible_submissions(current_user).where(Submission.id == submission_id))
    if submission is None:
        abort(404)
    conflict = None
    status = 200
    if request.method == "POST":
        rubric = require_rubric(submission.activity)
        form = grade_form(rubric.criteria)
        form.validate()
        try:
            with attempt():
                grades.grade_submission(
                    current_user,
                    submission.id,
                    version=form.version.data,
                    criteria=form.criteria(rubric.criteria),
                    comments=form.comments(rubric.criteria),
                    feedback=form.feedback.data or "",
                    outcome=form.outcome.data or "save",
                )
                flash(_("Grade saved."), "success")
                if form.then.data == "next":
                    following = services.next_in_queue(current_user, submission)
                    if following is not None:
                        return redirect(url_for("grading.grade", submission_id=following.id))
                    return redirect(url_for("grading.queue"))
                return redirect(url_for("grading.grade", submission_id=submission.id))
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            flash(exc.message, "error")
            status = exc.status
            if exc.status == 409 and isinstance(exc.details, dict) and "yours" in exc.details:
                conflict = exc.details
            submission = db.session.get(Submission, submission_id)
    return render_template(
        "grading/grade.html",
        submission=submission,
        activity=submission.activity,
        rubric=current_rubric(submission.activity),
        history=grades.history(submission),
        attempts=submissions.attempts_of(submission.user_id, submission.activity_id),
        conflict=conflict,
        may_grade=policy.may_grade_at_all(current_user),
        form_values=request.form,
    ), status


@bp.post("/notifications/read")
@login_required
def read_notifications():
    mark_read(current_user)
    return redirect(
        request.referrer
        if request.referrer and request.referrer.startswith(request.host_url)
        else url_for("learning.dashboard")
    )
