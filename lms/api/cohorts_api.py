"""/api/v1 endpoints of the organizers' area (cohort completion, participant import)."""

from __future__ import annotations

from flask import g, jsonify, request

from lms.api.base import BadRequest, bp, roles
from lms.api.openapi import _op, _path_param, _query, register_paths
from lms.cohorts import importing
from lms.cohorts import services as cohorts
from lms.reports import completion

CSV_TYPES = ("text/csv", "text/plain", "application/csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/cohorts/<int:id>/completion")
@roles("trainer", "organizer")
def cohort_completion(id: int):  # noqa: A002  (the path names it {id}, as api.md does)
    cohort = cohorts.get_visible_cohort(g.api_user, id)
    return jsonify(completion.compute(cohort, viewer=g.api_user).as_json())


@bp.post("/cohorts/<int:id>/participants")
@roles("organizer")
def import_participants(id: int):  # noqa: A002
    """CSV (or .xlsx) body → import report. All rows or none. Errors answer
    {"errors": [{"line", "field", "message"}]} as api.md says, not the usual
    {"error": {...}}: 422 for invalid rows, 413 for a file over the limit."""
    cohort = cohorts.get_visible_cohort(g.api_user, id)
    mimetype = request.mimetype or ""
    if mimetype not in CSV_TYPES and mimetype != XLSX_TYPE:
        raise BadRequest("Send the participants as CSV with Content-Type: text/csv.")
    data = request.get_data(cache=False)
    dry_run = request.args.get("dry_run") in ("1", "true")
    try:
        rows = importing.read_rows(data, "upload.xlsx" if mimetype == XLSX_TYPE else "upload.csv")
        plan = importing.plan_import(cohort, rows)
    except importing.ImportRejected as exc:
        return jsonify({"errors": exc.errors}), exc.status
    if dry_run:
        return jsonify(
            {
                **plan.report(),
                "dry_run": True,
                "rows": [{"line": r.line, "email": r.email, "action": r.action, "enrol": r.enrol} for r in plan.rows],
            }
        )
    invitations = importing.apply_import(plan, g.api_user)
    emailed = importing.send_invitations(invitations)
    return jsonify(
        {
            **plan.report(),
            "dry_run": False,
            "invitations_emailed": emailed,
            "invitations": [{"id": person.id, "email": person.email, "url": link} for person, link in invitations],
        }
    )


IMPORT_ERRORS = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["line", "field", "message"],
                "properties": {"line": {"type": "integer"}, "field": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    },
}

_import_op = _op(
    "Import participants from a CSV body (text/csv) or an .xlsx body; all rows or none",
    "organizer",
    params=[_path_param("id", "integer"), _query("dry_run")],
    errors=(400, 401, 403, 404),
    body={"text/csv": {"schema": {"type": "string"}}, XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}}},
)
_import_op["responses"]["200"]["content"]["application/json"]["schema"] = {
    "type": "object",
    "required": ["created", "updated", "enrolled"],
    "properties": {
        "created": {"type": "integer"},
        "updated": {"type": "integer"},
        "enrolled": {"type": "integer"},
        "invitations": {"type": "array", "items": {"type": "object"}},
    },
}
for _status in ("413", "422"):
    _import_op["responses"][_status] = {
        "description": "The file is rejected: every error with its line and field",
        "content": {"application/json": {"schema": IMPORT_ERRORS}},
    }

register_paths(
    {
        "/cohorts/{id}/completion": {
            "get": _op(
                "Completion of a cohort: figures, per module, per province and type, the at-risk list",
                "trainer (their trainees), organizer",
                params=[_path_param("id", "integer")],
            )
        },
        "/cohorts/{id}/participants": {"post": _import_op},
    }
)
