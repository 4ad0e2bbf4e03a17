"""The /api/v1 endpoints. Each parses, calls a service, and shapes JSON."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g, jsonify, request
from sqlalchemy.orm import joinedload

from lms.activities import get_activity_type
from lms.activities.quiz import submit_attempt
from lms.api.base import BadRequest, bp, json_body, roles
from lms.cohorts import services as cohorts
from lms.cohorts.models import Enrolment
from lms.coursepacks.models import Activity, Course
from lms.errors import Invalid, NotFound
from lms.extensions import db
from lms.grading import grades, policy, submissions
from lms.grading.models import Submission
from lms.learning import services as learning


def _activity(course_slug: str, activity_slug: str):
    course = cohorts.get_course_for(g.api_user, course_slug)
    activity = learning.get_activity(course, activity_slug)
    if activity is None:
        raise NotFound("No such activity.")
    return activity


@bp.get("/me")
def me():
    user = g.api_user
    return jsonify(
        {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "language": user.language,
            "timezone": user.timezone,
            "cohorts": [{"id": c.id, "name": c.name} for c in cohorts.cohorts_of(user)],
        }
    )


@bp.get("/courses")
def courses():
    result = []
    for progress in learning.course_progress(g.api_user, cohorts.courses_for(g.api_user)):
        course = progress.course
        result.append(
            {
                "slug": course.slug,
                "title": course.title,
                "order": course.order,
                "hours": course.hours,
                "activities": [
                    {"slug": a.slug, "type": a.type, "title": a.title, **get_activity_type(a.type).api_fields(a)}
                    for a in progress.activities
                ],
            }
        )
    return jsonify(result)


@bp.get("/me/progress")
@roles("trainee")
def my_progress():
    progress = learning.course_progress(g.api_user, cohorts.courses_for(g.api_user))
    out = []
    for item in progress:
        activities = []
        for activity in item.activities:
            row = item.progress.get(activity.id)
            entry = {
                "slug": activity.slug,
                "type": activity.type,
                "completed": item.is_done(activity),
                "status": item.status(activity),
            }
            if row is not None and row.score is not None:
                entry["score"] = row.score
            activities.append(entry)
        out.append(
            {"slug": item.course.slug, "completed": item.completed, "percent": item.percent, "activities": activities}
        )
    return jsonify(
        {"courses": out, "completed_courses": sum(1 for p in progress if p.completed), "total_courses": len(progress)}
    )


@bp.post("/courses/<course>/activities/<activity>/complete")
@roles("trainee")
def complete(course: str, activity: str):
    found = _activity(course, activity)
    if not get_activity_type(found.type).complete_by_request(found, g.api_user):
        raise Invalid("This activity is completed by taking it, not by marking it.")
    return jsonify({"completed": True})


@bp.post("/courses/<course>/activities/<activity>/attempts")
@roles("trainee")
def quiz_attempt(course: str, activity: str):
    found = _activity(course, activity)
    if found.type != "quiz":
        raise NotFound("This activity is not a quiz.")
    answers = json_body().get("answers")
    if not isinstance(answers, dict):
        raise BadRequest('Expected {"answers": {question_id: [choice, ...]}}.')
    attempt = submit_attempt(found, g.api_user, answers)
    return jsonify(
        {"percent": attempt.percent, "passed": attempt.passed, "correct": attempt.correct, "total": attempt.total}
    ), 201


def submission_json(submission: Submission, viewer) -> dict:
    activity = submission.activity
    data = {
        "id": submission.id,
        "trainee": {"id": submission.user.id, "name": submission.user.name},
        "course": activity.course.slug,
        "activity": activity.slug,
        "attempt": submission.attempt,
        "text": submission.text,
        "status": submission.status,
        "version": submission.version,
        "late": submission.late,
        "submitted_at": submission.submitted_at.isoformat(),
        "files": [
            {"id": f.id, "name": f.original_name, "size": f.size, "content_type": f.content_type}
            for f in submission.files
        ],
        "grade": None,
    }
    owner_only = viewer.id == submission.user_id and not viewer.is_staff
    if submission.grade is not None and (not owner_only or submission.status == "released"):
        data["grade"] = grades.grade_as_dict(submission.grade)
    return data


@bp.post("/courses/<course>/activities/<activity>/submissions")
@roles("trainee")
def create_submission(course: str, activity: str):
    found = _activity(course, activity)
    if found.type != "assignment":
        raise NotFound("This activity is not an assignment.")
    if request.mimetype == "multipart/form-data":
        text, files, key = request.form.get("text", ""), request.files.getlist("files"), request.form.get("submit_key")
    else:
        body = json_body()
        text, files, key = body.get("text", ""), [], body.get("submit_key")
        if not isinstance(text, str):
            raise BadRequest("text must be a string.")
    submission = submissions.submit(g.api_user, found, text, files, submit_key=key)
    return jsonify(
        {
            "id": submission.id,
            "attempt": submission.attempt,
            "status": submission.status,
            "submitted_at": submission.submitted_at.isoformat(),
            "late": submission.late,
        }
    ), 201


@bp.get("/submissions")
@roles("trainer", "organizer")
def list_submissions():
    query = policy.visible_submissions(g.api_user)
    if request.args.get("status"):
        query = query.where(Submission.status == request.args["status"])
    if request.args.get("course"):
        query = (
            query.join(Activity, Activity.id == Submission.activity_id)
            .join(Course)
            .where(Course.slug == request.args["course"])
        )
    if request.args.get("cohort"):
        cohort_id = request.args.get("cohort", type=int)
        query = query.where(
            Submission.user_id.in_(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == cohort_id))
        )

    query = query.options(
        *submissions.SUBMISSION_DETAILS,
        joinedload(Submission.user),
        joinedload(Submission.activity).joinedload(Activity.course),
    )
    items = db.session.scalars(query.order_by(Submission.submitted_at, Submission.id).limit(500)).unique()
    return jsonify([submission_json(s, g.api_user) for s in items])


@bp.get("/submissions/<int:submission_id>")
def get_submission(submission_id: int):
    submission = db.session.get(Submission, submission_id)
    if submission is None or not policy.can_view(g.api_user, submission):
        raise NotFound("No such submission.")
    return jsonify(submission_json(submission, g.api_user))


@bp.put("/submissions/<int:submission_id>/grade")
@roles("trainer")
def put_grade(submission_id: int):
    body = json_body()
    submission = grades.grade_submission(
        g.api_user,
        submission_id,
        version=body.get("version"),
        criteria=body.get("criteria"),
        comments=body.get("comments"),
        feedback=body.get("feedback", ""),
        outcome=body.get("outcome", "save"),
    )
    grade = submission.grade
    assert grade is not None  # grade_submission has just written it
    return jsonify(
        {"score": grade.score, "max_score": grade.max_score, "status": submission.status, "version": submission.version}
    )


@bp.get("/cohorts")
@roles("trainer", "organizer")
def list_cohorts():
    return jsonify(
        [
            {
                "id": c.id,
                "name": c.name,
                "start_date": c.start_date.isoformat(),
                "end_date": c.end_date.isoformat(),
                "milestone": {
                    "title": c.milestone_title,
                    "date": c.milestone_date.isoformat() if c.milestone_date else None,
                },
                "courses": [course.slug for course in c.courses],
                "archived": c.archived,
            }
            for c in cohorts.visible_cohorts(g.api_user)
        ]
    )
