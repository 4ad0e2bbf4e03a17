"""The /api/v1 endpoints. Each parses, calls a service, and shapes JSON."""

from __future__ import annotations

import sqlalchemy as sa
from flask import g
from sqlalchemy.orm import joinedload

from lms.activities import get_activity_type
from lms.api import schemas
from lms.api.base import bp, parse_body, parse_query, reply, roles
from lms.api.openapi import operation
from lms.cohorts import services as cohorts
from lms.cohorts.models import Enrolment
from lms.coursepacks.models import Activity, Course
from lms.errors import NotFound
from lms.extensions import db
from lms.grading import grades, policy, submissions
from lms.grading.models import Submission
from lms.learning import services as learning


@bp.get("/me")
@operation(summary="The caller, with their cohorts", who="anyone", ok={200: schemas.Me})
def me():
    user = g.api_user
    return reply(
        schemas.Me(
            id=user.id,
            name=user.name,
            email=user.email,
            role=user.role,
            language=user.language,
            timezone=user.timezone,
            cohorts=[schemas.CohortRef(id=c.id, name=c.name) for c in cohorts.cohorts_of(user)],
        )
    )


@bp.get("/courses")
@operation(summary="The catalogue of courses the caller may open", who="anyone", ok={200: schemas.Catalogue})
def courses():
    result = []
    for progress in learning.course_progress(g.api_user, cohorts.courses_for(g.api_user)):
        course = progress.course
        result.append(
            schemas.CatalogueCourse(
                slug=course.slug,
                title=course.title,
                order=course.order,
                hours=course.hours,
                activities=[
                    schemas.CatalogueActivity.model_validate(
                        {"slug": a.slug, "type": a.type, "title": a.title, **get_activity_type(a.type).api_fields(a)}
                    )
                    for a in progress.activities
                ],
            )
        )
    return reply(schemas.Catalogue(result))


@bp.get("/me/progress")
@operation(
    summary="The caller's progress per course and activity", who="trainee", ok={200: schemas.Progress}, errors=(403,)
)
@roles("trainee")
def my_progress():
    progress = learning.course_progress(g.api_user, cohorts.courses_for(g.api_user))
    out = []
    for item in progress:
        activities = []
        for activity in item.activities:
            row = item.progress.get(activity.id)
            entry = schemas.ActivityProgress(
                slug=activity.slug,
                type=activity.type,
                completed=item.is_done(activity),
                status=item.status(activity),  # one of learning.progress.STATUSES
            )
            if row is not None and row.score is not None:
                entry.score = row.score
            activities.append(entry)
        out.append(
            schemas.CourseProgressOut(
                slug=item.course.slug, completed=item.completed, percent=item.percent, activities=activities
            )
        )
    return reply(
        schemas.Progress(
            courses=out, completed_courses=sum(1 for p in progress if p.completed), total_courses=len(progress)
        )
    )


def submission_out(submission: Submission, viewer) -> schemas.SubmissionOut:
    activity = submission.activity
    owner_only = viewer.id == submission.user_id and not viewer.is_staff
    shown = submission.grade is not None and (not owner_only or submission.status == "released")
    return schemas.SubmissionOut(
        id=submission.id,
        trainee=schemas.Person(id=submission.user.id, name=submission.user.name),
        course=activity.course.slug,
        activity=activity.slug,
        attempt=submission.attempt,
        text=submission.text,
        status=submission.status,  # type: ignore[arg-type]  # one of SUBMISSION_STATUSES
        version=submission.version,
        late=submission.late,
        submitted_at=submission.submitted_at.isoformat(),
        files=[
            schemas.SubmissionFile(id=f.id, name=f.original_name, size=f.size, content_type=f.content_type)
            for f in submission.files
        ],
        grade=schemas.GradeOut.model_validate(grades.grade_as_dict(submission.grade)) if shown else None,
    )


@bp.get("/submissions")
@operation(
    summary="Submissions the caller may grade or see",
    who="trainer, organizer",
    query=schemas.SubmissionsQuery,
    ok={200: schemas.SubmissionList},
    errors=(403,),
)
@roles("trainer", "organizer")
def list_submissions():
    args = parse_query(schemas.SubmissionsQuery)
    query = policy.visible_submissions(g.api_user)
    if args.status:
        query = query.where(Submission.status == args.status)
    if args.course:
        query = (
            query.join(Activity, Activity.id == Submission.activity_id).join(Course).where(Course.slug == args.course)
        )
    if args.cohort is not None:
        query = query.where(
            Submission.user_id.in_(sa.select(Enrolment.user_id).where(Enrolment.cohort_id == args.cohort))
        )

    query = query.options(
        *submissions.SUBMISSION_DETAILS,
        joinedload(Submission.user),
        joinedload(Submission.activity).joinedload(Activity.course),
    )
    items = db.session.scalars(query.order_by(Submission.submitted_at, Submission.id).limit(500)).unique()
    return reply(schemas.SubmissionList([submission_out(s, g.api_user) for s in items]))


@bp.get("/submissions/<int:submission_id>")
@operation(
    summary="One submission; its owner sees the grade once released",
    who="owner, trainer, organizer",
    ok={200: schemas.SubmissionOut},
    errors=(404,),
)
def get_submission(submission_id: int):
    submission = db.session.get(Submission, submission_id)
    if submission is None or not policy.can_view(g.api_user, submission):
        raise NotFound("No such submission.")
    return reply(submission_out(submission, g.api_user))


@bp.put("/submissions/<int:submission_id>/grade")
@operation(
    summary="Grade a submission against the version last read",
    who="trainer",
    body=schemas.GradeIn,
    ok={200: schemas.GradeResult},
    errors=(403, 404, 409, 422),
)
@roles("trainer")
def put_grade(submission_id: int):
    body = parse_body(schemas.GradeIn)
    submission = grades.grade_submission(
        g.api_user,
        submission_id,
        version=body.version,
        criteria=body.criteria,
        comments=body.comments,
        feedback=body.feedback,
        outcome=body.outcome,
    )
    grade = submission.grade
    assert grade is not None  # grade_submission has just written it
    return reply(
        schemas.GradeResult(
            score=grade.score,
            max_score=grade.max_score,
            status=submission.status,  # type: ignore[arg-type]  # one of SUBMISSION_STATUSES
            version=submission.version,
        )
    )


@bp.get("/cohorts")
@operation(summary="Cohorts the caller works in", who="trainer, organizer", ok={200: schemas.CohortList}, errors=(403,))
@roles("trainer", "organizer")
def list_cohorts():
    return reply(
        schemas.CohortList(
            [
                schemas.CohortOut(
                    id=c.id,
                    name=c.name,
                    start_date=c.start_date.isoformat(),
                    end_date=c.end_date.isoformat(),
                    milestone=schemas.Milestone(
                        title=c.milestone_title, date=c.milestone_date.isoformat() if c.milestone_date else None
                    ),
                    courses=[course.slug for course in c.courses],
                    archived=c.archived,
                )
                for c in cohorts.visible_cohorts(g.api_user)
            ]
        )
    )
