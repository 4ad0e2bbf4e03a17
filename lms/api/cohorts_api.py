"""/api/v1 endpoints of the organizers' area (cohort completion, participant import)."""

from __future__ import annotations

from flask import g, request

from lms.api import schemas
from lms.api.base import BadRequest, bp, parse_query, reply, roles
from lms.api.openapi import XLSX_TYPE, operation
from lms.cohorts import importing
from lms.cohorts import services as cohorts
from lms.reports import completion

CSV_TYPES = ("text/csv", "text/plain", "application/csv")


@bp.get("/cohorts/<int:id>/completion")
@operation(
    summary="Completion of a cohort: figures, per course, per province and type, the at-risk list",
    who="trainer (their trainees), organizer",
    ok={200: schemas.CohortCompletion},
    errors=(403, 404),
)
@roles("trainer", "organizer")
def cohort_completion(id: int):  # noqa: A002  (the path names it {id}, as api.md does)
    cohort = cohorts.get_visible_cohort(g.api_user, id)
    return reply(schemas.CohortCompletion.model_validate(completion.compute(cohort, viewer=g.api_user).as_json()))


@bp.post("/cohorts/<int:id>/participants")
@operation(
    summary="Import participants from a CSV body (text/csv) or an .xlsx body; all rows or none",
    who="organizer",
    query=schemas.ImportQuery,
    content={
        "text/csv": {"type": "string", "description": "UTF-8, a header row: name,email,role,participant_type,..."},
        XLSX_TYPE: {"type": "string", "format": "binary"},
    },
    ok={200: schemas.ImportResult},
    errors=(403, 404, 422),
    error_bodies={413: (schemas.ImportErrors, schemas.Error), 422: (schemas.ImportErrors,)},
)
@roles("organizer")
def import_participants(id: int):  # noqa: A002
    """CSV (or .xlsx) body → import report. All rows or none. Errors answer
    {"errors": [{"line", "field", "message"}]} as api.md says, not the usual
    {"error": {...}}: 422 for invalid rows, 413 for a file over the limit."""
    cohort = cohorts.get_visible_cohort(g.api_user, id)
    mimetype = request.mimetype or ""
    if mimetype not in CSV_TYPES and mimetype != XLSX_TYPE:
        raise BadRequest("Send the participants as CSV with Content-Type: text/csv.")
    dry_run = parse_query(schemas.ImportQuery).dry_run
    data = request.get_data(cache=False)
    try:
        rows = importing.read_rows(data, "upload.xlsx" if mimetype == XLSX_TYPE else "upload.csv")
        plan = importing.plan_import(cohort, rows)
    except importing.ImportRejected as exc:
        return reply(schemas.ImportErrors.model_validate({"errors": exc.errors}), exc.status)
    if dry_run:
        return reply(
            schemas.ImportPreview(
                **plan.report(),
                dry_run=True,
                rows=[
                    schemas.PlannedRow(line=r.line, email=r.email, action=r.action, enrol=r.enrol)  # type: ignore[arg-type]
                    for r in plan.rows
                ],
            )
        )
    invitations = importing.apply_import(plan, g.api_user)
    emailed = importing.send_invitations(invitations)
    return reply(
        schemas.ImportDone(
            **plan.report(),
            dry_run=False,
            invitations_emailed=emailed,
            invitations=[
                schemas.Invitation(id=person.id, email=person.email, url=link) for person, link in invitations
            ],
        )
    )
