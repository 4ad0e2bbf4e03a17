"""Language and time zone of the person reading the page."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_login import current_user

SUPPORTED = ("id", "en")


def select_locale() -> str:
    """The profile's language, else the visitor's choice in the header, else the
    browser's Accept-Language, else Indonesian. Outside a request (commands),
    Indonesian."""
    if not has_request_context():
        return "id"
    if getattr(current_user, "is_authenticated", False) and current_user.language in SUPPORTED:
        return current_user.language
    chosen = session.get("lang")
    if chosen in SUPPORTED:
        return chosen
    return request.accept_languages.best_match(SUPPORTED) or "id"


def select_timezone() -> str:
    if not has_request_context():
        return "Asia/Jakarta"
    if getattr(current_user, "is_authenticated", False):
        return current_user.timezone
    return "Asia/Jakarta"
