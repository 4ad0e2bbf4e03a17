"""Cross-cutting web concerns: security headers, error pages, template helpers."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from lms.errors import ServiceError
from lms.markup import render_markdown

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def init_web(app: Flask) -> None:
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(Exception, _unexpected_error)
    app.jinja_env.filters["localdate"] = _localdate
    app.jinja_env.filters["localdatetime"] = _localdatetime
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.filters["markdown"] = _user_markdown
    app.context_processor(_template_globals)


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, details=None):
    if wants_json():
        body = {"error": {"code": code, "message": message}}
        if details is not None:
            body["error"]["details"] = details
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid",
    429: "too_many_requests",
}


def _http_error(exc: HTTPException):
    status = exc.code or 500
    messages = {
        400: _("The request could not be understood."),
        403: _("You may not do this."),
        404: _("This page does not exist, or you may not see it."),
        405: _("This action is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a while and try again."),
    }
    message = messages.get(status, exc.description or exc.name)
    if status == 400 and exc.description and "CSRF" in exc.description:
        message = _("The form expired or was sent from elsewhere. Please reload the page and try again.")
    response = error_response(status, CODES.get(status, "error"), message)
    retry_after = getattr(exc, "retry_after", None)  # set by Flask-Limiter's 429
    if status == 429 and retry_after:
        response[0].headers["Retry-After"] = str(retry_after)
    return response


def _service_error(exc: ServiceError):
    return error_response(exc.status, exc.code, exc.message, exc.details)


def _unexpected_error(exc: Exception):
    # The unit of work (lms.uow) rolls back: the response is a 500.
    current_app.logger.exception("Unhandled error on %s", request.path)
    if current_app.config.get("PROPAGATE_EXCEPTIONS"):
        raise exc
    return error_response(
        500, "server_error", _("Something went wrong on our side. Your data is safe; please try again.")
    )


def _localdate(value: date | datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_date(value, fmt)


def _localdatetime(value: datetime | None, fmt: str = "medium") -> str:
    if value is None:
        return ""
    return format_datetime(value, fmt)


def _user_markdown(text: str | None):
    return render_markdown(text or "")


def format_score(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _template_globals():
    return {"current_locale": str(get_locale() or "id")}
