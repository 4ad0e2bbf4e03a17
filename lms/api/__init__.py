"""JSON API v1 (shared/docs/api.md): thin handlers over the same services as the
pages. Bearer tokens only: no session cookie is accepted here, so no CSRF."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, request

from lms.errors import BadRequest, Forbidden, ServiceError
from lms.extensions import csrf, db, limiter

bp = Blueprint("api", __name__)
csrf.exempt(bp)
limiter.limit("600 per minute", key_func=lambda: request.headers.get("Authorization", request.remote_addr or ""))(bp)


class Unauthorized(ServiceError):
    status, code = 401, "unauthorized"


@bp.before_request
def authenticate():
    from lms.accounts.services import user_for_token

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
def commit(response):
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
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


from lms.api import endpoints, openapi  # noqa: E402,F401
from lms.api import cohorts_api, libraries_api  # noqa: E402,F401
