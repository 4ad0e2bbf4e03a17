"""The API blueprint, its bearer-token authentication and the helpers its
handlers share. No session cookie is accepted here, so no CSRF."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, request

from lms.accounts.services import user_for_token
from lms.errors import BadRequest, Forbidden, ServiceError
from lms.extensions import csrf, limiter

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
