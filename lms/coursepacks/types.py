"""The activity-type registry (after CTFd's CHALLENGE_CLASSES).

Built-in types are registered exactly like third-party ones: each is named by a
"module:Class" string and resolved the same way as the `lms.activities` entry
points of installed packages. The core never branches on a type name; it asks
the type.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, ClassVar

from flask import abort

if TYPE_CHECKING:  # pragma: no cover
    from flask import Request

    from lms.coursepacks.source import LoadedActivity, PackSource, Problem

BUILTIN_TYPES = (
    "lms.activities.lesson:LessonType",
    "lms.activities.quiz:QuizType",
    "lms.activities.assignment:AssignmentType",
)
ENTRY_POINT_GROUP = "lms.activities"

ACTIVITY_TYPES: dict[str, ActivityType] = {}


class UnknownActivityType(LookupError):
    pass


class ActivityType:
    """What every activity type provides. Subclasses set the class attributes and
    override the methods they need."""

    name: ClassVar[str] = ""
    label: ClassVar[Any] = ""  # a lazy_gettext string shown to people
    # Keys this type reads from an [[activity]] table besides type, slug, title:
    # key -> (kind, required). Kinds are understood by coursepacks.source.check_keys.
    keys: ClassVar[dict[str, tuple[str, bool]]] = {}
    template: ClassVar[str] = ""
    # Whether a trainee's text is kept as a draft (autosave, compare attempts).
    keeps_drafts: ClassVar[bool] = False

    # -- loading (pure: no database) ---------------------------------------
    def load(self, loaded: LoadedActivity, source: PackSource, field: str) -> list[Problem]:
        """Read and validate the type's own keys and files into `loaded`."""
        return []

    # -- showing and handling ----------------------------------------------
    def view(self, activity, user) -> dict[str, Any]:
        """The template context for a trainee looking at the activity."""
        return {}

    def handle(self, activity, user, request: Request):
        """A POST from the activity page; returns a response."""
        abort(405)

    def api_fields(self, activity) -> dict[str, Any]:
        """Extra fields for the catalogue in the API (e.g. max_score)."""
        return {}

    def reporting_role(self, activity) -> str:
        """How the activity counts on dashboards and certificates: "graded"
        (handed in, graded with a rubric, score out of max_score), "pre", "post"
        or "quiz" (scored in percent), or "other" (done by taking it)."""
        return "other"

    def complete_by_request(self, activity, user) -> bool:
        """Whether a trainee may simply mark this activity done (API `complete`)."""
        return False


def register_activity_type(cls: type[ActivityType]) -> type[ActivityType]:
    if not cls.name:
        raise ValueError(f"{cls!r} has no name")
    ACTIVITY_TYPES[cls.name] = cls()
    return cls


def _resolve(spec: str) -> type[ActivityType]:
    module, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module), attr)


def load_activity_types() -> None:
    for spec in BUILTIN_TYPES:
        register_activity_type(_resolve(spec))
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        register_activity_type(ep.load())


def get_activity_type(name: str) -> ActivityType:
    try:
        return ACTIVITY_TYPES[name]
    except KeyError:
        raise UnknownActivityType(name) from None
