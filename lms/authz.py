"""Authorization in one place: each area's `policy.py` registers its rules here
under "area.verb" names, and views, API handlers and templates ask `can()`.

A rule is `rule(user, obj) -> bool` for a signed-in user; anonymous visitors
are refused before any rule runs. Lists are not filtered with rules one row at
a time: each policy also offers a scoped query (`visible_...`) for them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.errors import Forbidden, NotFound

RuleFunc = Callable[[Any, Any], bool]
R = TypeVar("R", bound=RuleFunc)
RULES: dict[str, RuleFunc] = {}


def rule(name: str) -> Callable[[R], R]:
    """Register `func` as the rule `name` ("area.verb")."""

    def decorator(func: R) -> R:
        if name in RULES and RULES[name] is not func:
            raise ValueError(f"the rule {name!r} is registered twice")
        RULES[name] = func
        return func

    return decorator


def can(user: Any, name: str, obj: Any = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return RULES[name](user, obj)


def require(user: Any, name: str, obj: Any = None, *, hide: bool = True) -> None:
    """Stop the request unless `can(...)`: a 404 by default, so that the
    existence of someone else's object is not revealed; a 403 with hide=False."""
    if can(user, name, obj):
        return
    if hide:
        raise NotFound(_("This page does not exist, or you may not see it."))
    raise Forbidden(_("You may not do this."))


def permission_required(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A page only for people whom the rule `name` (with no object) admits:
    others are sent to sign in, or get a 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not can(current_user, name):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_authz(app: Flask) -> None:
    """`can('area.verb', obj)` in every template, for the person reading."""
    app.jinja_env.globals["can"] = lambda name, obj=None: can(current_user, name, obj)
