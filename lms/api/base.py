"""The API blueprint, its bearer-token authentication and the helpers its
handlers share. No session cookie is accepted here, so no CSRF."""

from __future__ import annotations

from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Response, g, jsonify, request
from pydantic import BaseModel, ValidationError

from lms.accounts.services import user_for_token
from lms.errors import BadRequest, Forbidden, Invalid, ServiceError
from lms.extensions import csrf, limiter

M = TypeVar("M", bound=BaseModel)

bp = Blueprint("api", __name__)
csrf.exempt(bp)
limiter.limit("600 per minute", key_func=lambda: request.headers.get("Authorization", request.remote_addr or ""))(bp)


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise Unauthorized("Missing bearer token: send Authorization: Bearer TOKEN.")
    user = user_for_token(raw.strip())
    if user is None:
        raise Unauthorized("Unknown or revoked token.")
    g.api_user = user
    return None


@bp.after_request
def no_store(response):
    """The unit of work (lms.uow) commits; here only the caching rule."""
    response.headers["Cache-Control"] = "no-store"
    return response


def roles(*allowed: str):
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not g.api_user.has_role(*allowed):
                raise Forbidden("Your role may not do this.")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    return body


# -- the typed edge (lms.api.schemas) ----------------------------------------------


def _field_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "body"


def field_problems(error: ValidationError) -> list[dict[str, str]]:
    """pydantic's errors as api.md's `{field, message}` list, the field as a dotted path."""
    return [{"field": _field_path(tuple(e["loc"])), "message": e["msg"]} for e in error.errors()]


def _refuse(model: type[BaseModel], error: ValidationError, what: str) -> ServiceError:
    problems = field_problems(error)
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    message = f"{what} does not fit: {first['field']}: {first['message']}{more}."
    status = getattr(model, "invalid_status", 400)
    return Invalid(message, problems) if status == 422 else BadRequest(message, problems)


def parse_body(model: type[M]) -> M:
    """The JSON body, validated by `model`: 400 when it is not a JSON object, else
    the model's `invalid_status` (400, or 422 for a grade) naming every field
    that does not fit in `error.details`."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise _refuse(model, exc, "The body") from None


def parse_query(model: type[M]) -> M:
    """The query string, validated by `model` (400 naming the parameter)."""
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise _refuse(model, exc, "The query") from None


def reply(body: BaseModel, status: int = 200) -> tuple[Response, int]:
    """A response built from a model of lms.api.schemas. Fields left unset (the
    optional ones that do not apply) are left out, not sent as null."""
    data: Any = body.model_dump(mode="json", exclude_unset=True)
    return jsonify(data), status
