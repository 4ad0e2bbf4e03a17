"""The trainee's pages: dashboard, catalogue, module page, activity page, pack files."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from lms.activities import get_activity_type
from lms.certificates import services as certificates
from lms.cohorts import services as cohorts
from lms.coursepacks.source import ASSET_SUFFIXES
from lms.grading.notifications import unread_notifications
from lms.grading.services import staff_dashboard_context
from lms.learning import services

bp = Blueprint("learning", __name__)


@bp.get("/")
@login_required
def dashboard():
    if current_user.is_staff:
        return render_template("learning/staff_dashboard.html", **staff_dashboard_context(current_user))
    cohort = cohorts.current_cohort(current_user)
    courses = cohorts.courses_for(current_user)
    progress = services.course_progress(current_user, courses)
    next_step = next(((p.course, p.next_activity) for p in progress if p.next_activity), None)

    return render_template(
        "learning/dashboard.html",
        cohort=cohort,
        progress=progress,
        next_step=next_step,
        notifications=unread_notifications(current_user),
        certificate_offers=certificates.offers_for(current_user),
    )


@bp.get("/courses")
@login_required
def catalogue():
    courses = cohorts.courses_for(current_user)
    return render_template("learning/catalogue.html", progress=services.course_progress(current_user, courses))


@bp.get("/courses/<course>")
@login_required
def course(course: str):
    found = cohorts.get_course_for(current_user, course)
    [progress] = services.course_progress(current_user, [found])
    return render_template("learning/course.html", course=found, progress=progress, get_type=get_activity_type)


@bp.route("/courses/<course>/<activity>", methods=["GET", "POST"])
@login_required
def activity(course: str, activity: str):
    found_course = cohorts.get_course_for(current_user, course)
    found = services.get_activity(found_course, activity)
    if found is None:
        abort(404)
    atype = get_activity_type(found.type)
    if request.method == "POST":
        response = atype.handle(found, current_user, request)
        return response
    [progress] = services.course_progress(current_user, [found_course])
    previous, following = services.neighbours(found, progress.activities)
    return render_template(
        "learning/activity.html",
        course=found_course,
        activity=found,
        atype=atype,
        previous=previous,
        following=following,
        course_progress=progress,
        **atype.view(found, current_user),
    )


@bp.get("/courses/<course>/files/<path:path>")
@login_required
def course_file(course: str, path: str):
    """Images and data files of a pack, for the lessons that link them."""
    found = cohorts.get_course_for(current_user, course)
    root = Path(found.source_path).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file() or target.suffix.lower() not in ASSET_SUFFIXES:
        abort(404)
    mimetype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = send_file(
        target, mimetype=mimetype, as_attachment=target.suffix.lower() in {".csv", ".xlsx", ".txt"}, max_age=3600
    )
    # An SVG opened directly must not run anything.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@bp.get("/courses/<course>/next")
@login_required
def resume(course: str):
    found = cohorts.get_course_for(current_user, course)
    [progress] = services.course_progress(current_user, [found])
    target = progress.next_activity or next(iter(found.current_activities), None)
    if target is None:
        return redirect(url_for("learning.course", course=found.slug))
    return redirect(url_for("learning.activity", course=found.slug, activity=target.slug))
