"""The OpenAPI 3.1 document of /api/v1. A test checks that it and the routes agree."""

from __future__ import annotations

from flask import jsonify

from lms.api.base import bp

ERROR = {"$ref": "#/components/schemas/Error"}


def _op(
    summary: str,
    roles: str,
    *,
    body: dict | None = None,
    ok: int = 200,
    params: list | None = None,
    errors: tuple[int, ...] = (401, 403, 404),
) -> dict:
    responses = {str(ok): {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}}
    for status in errors:
        responses[str(status)] = {"description": "Error", "content": {"application/json": {"schema": ERROR}}}
    op = {"summary": summary, "description": f"Who: {roles}.", "responses": responses}
    if body:
        op["requestBody"] = {"required": True, "content": body}
    if params:
        op["parameters"] = params
    return op


def _path_param(name: str, kind: str = "string") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _query(name: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}


JSON = lambda schema: {"application/json": {"schema": schema}}  # noqa: E731
COURSE_ACTIVITY = [_path_param("course"), _path_param("activity")]

PATHS = {
    "/me": {"get": _op("The caller, with their cohorts", "anyone", errors=(401,))},
    "/courses": {"get": _op("The catalogue of courses the caller may open", "anyone", errors=(401,))},
    "/me/progress": {"get": _op("The caller's progress per course and activity", "trainee", errors=(401, 403))},
    "/courses/{course}/activities/{activity}/complete": {
        "post": _op("Mark a lesson as read", "trainee", params=COURSE_ACTIVITY, errors=(401, 403, 404, 422))
    },
    "/courses/{course}/activities/{activity}/attempts": {
        "post": _op(
            "Answer a quiz",
            "trainee",
            ok=201,
            params=COURSE_ACTIVITY,
            errors=(400, 401, 403, 404, 409, 422),
            body=JSON(
                {
                    "type": "object",
                    "required": ["answers"],
                    "properties": {
                        "answers": {
                            "type": "object",
                            "additionalProperties": {"type": "array", "items": {"type": "integer"}},
                        }
                    },
                }
            ),
        )
    },
    "/courses/{course}/activities/{activity}/submissions": {
        "post": _op(
            "Submit an assignment: JSON {text} or multipart (text + files)",
            "trainee",
            ok=201,
            params=COURSE_ACTIVITY,
            errors=(400, 401, 403, 404, 409, 413, 422),
            body={
                **JSON(
                    {"type": "object", "properties": {"text": {"type": "string"}, "submit_key": {"type": "string"}}}
                ),
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "text": {"type": "string"},
                            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        },
                    }
                },
            },
        )
    },
    "/submissions": {
        "get": _op(
            "Submissions the caller may grade or see",
            "trainer, organizer",
            params=[_query("status"), _query("course"), _query("cohort")],
            errors=(401, 403),
        )
    },
    "/submissions/{submission_id}": {
        "get": _op(
            "One submission; its owner sees the grade once released",
            "owner, trainer, organizer",
            params=[_path_param("submission_id", "integer")],
        )
    },
    "/submissions/{submission_id}/grade": {
        "put": _op(
            "Grade a submission against its version",
            "trainer",
            params=[_path_param("submission_id", "integer")],
            errors=(400, 401, 403, 404, 409, 422),
            body=JSON(
                {
                    "type": "object",
                    "required": ["version", "criteria"],
                    "properties": {
                        "version": {"type": "integer"},
                        "criteria": {"type": "object", "additionalProperties": {"type": "number"}},
                        "comments": {"type": "object", "additionalProperties": {"type": "string"}},
                        "feedback": {"type": "string"},
                        "outcome": {"enum": ["save", "release", "revise"]},
                    },
                }
            ),
        )
    },
    "/cohorts": {"get": _op("Cohorts the caller works in", "trainer, organizer", errors=(401, 403))},
}


def register_paths(paths: dict) -> None:
    """Area API modules add their paths here, next to their handlers."""
    PATHS.update(paths)


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Lentera API",
            "version": "1.0.0",
            "description": "Everything a person can do in the pages, for other programs. "
            "Authenticate with `Authorization: Bearer TOKEN`.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                        }
                    },
                }
            },
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
