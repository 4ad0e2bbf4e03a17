"""The activity-type registry (after CTFd's CHALLENGE_CLASSES) and the contract
every type fulfils.

Built-in types are registered exactly like third-party ones: each is named by a
"module:Class" string and resolved the same way as the `lms.activities` entry
points of installed packages. The core never branches on a type name; it asks
the type, through `ActivityType`:

    the pack     config_model, files, load            what [[activity]] may say, and its extra files
    the page     template, template_folder, view,      what a trainee sees and sends
                 handle, keeps_drafts
    the API      api_actions, api_fields,              POST .../activities/<activity>/<action>
                 complete_by_request
    reports      reporting_role, max_score             how it counts on dashboards and certificates
    tools        table_column, table_entry, seed_demo  `courses table`, the demo cohort

Completion itself is stored, not asked: a type writes the trainee's progress row
(lms.learning.progress) when its own rule is met, and reports read only that.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import jinja2
from flask import Flask, abort
from pydantic import BaseModel, ConfigDict

from lms.coursepacks.contracts import ActivityTable
from lms.errors import Invalid

if TYPE_CHECKING:  # pragma: no cover
    import random
    from datetime import datetime

    from flask import Request
    from flask.typing import ResponseReturnValue

    from lms.accounts.models import User
    from lms.coursepacks.models import Activity
    from lms.coursepacks.source import LoadedActivity, PackSource

BUILTIN_TYPES = (
    "lms.activities.lesson:LessonType",
    "lms.activities.quiz:QuizType",
    "lms.activities.assignment:AssignmentType",
)
ENTRY_POINT_GROUP = "lms.activities"

ACTIVITY_TYPES: dict[str, ActivityType] = {}


class UnknownActivityType(LookupError):
    pass


@dataclass(frozen=True)
class PackFile:
    """An extra file that an [[activity]] key names, and how to read it.

    `load(source, rel, field)` reads and checks the file `rel` of the pack,
    reporting problems on `source` (against `field` of course.toml when the file
    cannot be read), and returns its content, or None when it could not be read.
    With `in_config` the content replaces the path in the activity's config (and
    the path is kept as `<key>_file`): it is shown and versioned with the
    activity, like a quiz's questions. Otherwise it is kept beside the config, in
    `LoadedActivity.files`, for the area that versions it (a rubric)."""

    load: Callable[[PackSource, str, str], Any]
    in_config: bool = False


class ApiModel(BaseModel):
    """A request or response body of an API action: strict types, no unknown keys."""

    model_config = ConfigDict(extra="forbid", strict=True)


@dataclass(frozen=True)
class ApiAction:
    """Something a program may do with an activity of a type, over the API:
    `POST /api/v1/courses/<course>/activities/<activity>/<name>`.

    lms.api.activities_api checks the caller's role, finds the activity (404 when
    the caller may not open it), validates the body with `body` (JSON) or `form`
    (multipart/form-data: its fields, and its files as lists by field name),
    calls `run(activity, user, validated body or None)` and answers with what
    `run` returns, as JSON, with `status`. The same models describe the action in
    the OpenAPI document. `run` raises lms.errors exceptions for refusals."""

    run: Callable[[Activity, User, Any], BaseModel]
    summary: str
    ok: type[BaseModel]
    status: int = 200
    body: type[BaseModel] | None = None
    form: type[BaseModel] | None = None
    roles: tuple[str, ...] = ("trainee",)
    errors: tuple[int, ...] = (403, 404, 409, 422)
    # The 404 message when an activity of another type is sent this action.
    not_here: str = "This activity does not offer this action."


@dataclass(frozen=True)
class DemoSeed:
    """What the demo cohort (lms.demo) hands a type to do one activity as a
    demo trainee would."""

    rng: random.Random
    when: datetime  # the day the trainee did it
    grader: User  # a trainer, for work that is graded
    diligent: bool  # a trainee who does everything, and well


class Completed(ApiModel):
    """The activity is done."""

    completed: Literal[True]


def _complete(activity: Activity, user: User, _body: Any) -> Completed:
    if not get_activity_type(activity.type).complete_by_request(activity, user):
        raise Invalid("This activity is completed by taking it, not by marking it.")
    return Completed(completed=True)


# Offered by every type; `complete_by_request` says whether it applies.
COMMON_ACTIONS: Mapping[str, ApiAction] = {
    "complete": ApiAction(
        run=_complete,
        summary="Mark an activity done that is completed by reading it (a lesson)",
        ok=Completed,
        errors=(403, 404, 422),
    ),
}


class ActivityType:
    """What every activity type provides. Subclasses set the class attributes and
    override the methods they need."""

    name: ClassVar[str] = ""
    label: ClassVar[Any] = ""  # a lazy_gettext string shown to people

    # -- the pack (pure: no database) -----------------------------------------
    # The model of the type's [[activity]] table: ActivityTable's keys plus its own.
    config_model: ClassVar[type[ActivityTable]] = ActivityTable
    # Keys of the table that name an extra file, and how to read each.
    files: ClassVar[Mapping[str, PackFile]] = {}

    def load(self, loaded: LoadedActivity, source: PackSource, field: str) -> None:
        """Checks beyond the model (across keys, the body's file) and defaults,
        on `loaded.config` (the keys that passed the model, as written).
        `field` is the prefix of this table's fields: "activity[3]."."""

    # -- the page -------------------------------------------------------------
    template: ClassVar[str] = ""  # included in the activity page
    # A folder of the type's own templates, relative to the module of the class
    # (or absolute): found by that name once the type is registered.
    template_folder: ClassVar[str | None] = None
    # Whether a trainee's text is kept as a draft (autosave, compare attempts).
    keeps_drafts: ClassVar[bool] = False

    def view(self, activity: Activity, user: User) -> dict[str, Any]:
        """The template context for a trainee looking at the activity."""
        return {}

    def handle(self, activity: Activity, user: User, request: Request) -> ResponseReturnValue:
        """A POST from the activity page; returns a response."""
        abort(405)

    # -- the API --------------------------------------------------------------
    api_actions: ClassVar[Mapping[str, ApiAction]] = {}

    def api_action(self, name: str) -> ApiAction | None:
        """The action `name` on activities of this type: the type's own, else a
        common one (`complete`)."""
        return self.api_actions.get(name) or COMMON_ACTIONS.get(name)

    def api_fields(self, activity: Activity) -> dict[str, Any]:
        """Extra fields for the catalogue in the API (e.g. max_score)."""
        return {}

    def complete_by_request(self, activity: Activity, user: User) -> bool:
        """Mark the activity done if a trainee may simply do so (API `complete`);
        whether that applies to this type."""
        return False

    # -- reports --------------------------------------------------------------
    def reporting_role(self, activity: Activity) -> str:
        """How the activity counts on dashboards and certificates: "graded"
        (handed in, graded with a rubric, score out of max_score), "pre", "post"
        or "quiz" (scored in percent), or "other" (done by taking it)."""
        return "other"

    def max_score(self, activity: Activity) -> float | None:
        """What the progress score of a "graded" activity is out of; None for
        types scored in percent or not at all."""
        return None

    # -- tools ----------------------------------------------------------------
    # The heading of this type's column in `flask courses table` (docs/courses.md);
    # a type without one is not listed.
    table_column: ClassVar[str] = ""

    def table_entry(self, loaded: LoadedActivity) -> str:
        """The activity in its column of `courses table`."""
        return loaded.title

    def seed_demo(self, activity: Activity, user: User, seed: DemoSeed) -> None:
        """Do the activity as the demo trainee `user` would, through the type's
        own services, so that the demo shows what real use produces. A type that
        does not say leaves no demo data."""


# -- the registry ---------------------------------------------------------------------


def register_activity_type(cls: type[ActivityType]) -> type[ActivityType]:
    """Register a type under its name (a later one wins: a plugin may replace a
    built-in). Its templates can be found from now on (TypeTemplates)."""
    if not cls.name:
        raise ValueError(f"{cls!r} has no name")
    ACTIVITY_TYPES[cls.name] = cls()
    return cls


def unregister_activity_type(name: str) -> None:
    ACTIVITY_TYPES.pop(name, None)


def _resolve(spec: str) -> type[ActivityType]:
    module, _, attr = spec.partition(":")
    found: type[ActivityType] = getattr(importlib.import_module(module), attr)
    return found


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


def offered_actions() -> dict[str, ApiAction]:
    """Every API action name the registered types offer, with the first type's
    action of that name (its role and documentation stand for the name)."""
    found: dict[str, ApiAction] = dict(COMMON_ACTIONS)
    for atype in ACTIVITY_TYPES.values():
        for name, action in atype.api_actions.items():
            found.setdefault(name, action)
    return found


# -- templates ------------------------------------------------------------------------


def template_folder_of(atype: ActivityType) -> Path | None:
    """The type's template folder, a relative one taken from the module of the
    class that sets it (a subclass elsewhere keeps its parent's folder)."""
    for klass in type(atype).__mro__:
        if "template_folder" in vars(klass):
            folder = vars(klass)["template_folder"]
            if not folder:
                return None
            path = Path(folder)
            if path.is_absolute():
                return path
            module_file = getattr(sys.modules.get(klass.__module__), "__file__", None)
            return Path(module_file).parent / path if module_file else None
    return None


class TypeTemplates(jinja2.BaseLoader):
    """The template folders of the registered types, asked at each lookup: a
    type's templates are found from its registration until it is removed."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        for atype in list(ACTIVITY_TYPES.values()):
            folder = template_folder_of(atype)
            if folder is None:
                continue
            try:
                source, filename, uptodate = jinja2.FileSystemLoader(folder).get_source(environment, template)
            except jinja2.TemplateNotFound:
                continue

            def still_current(atype: ActivityType = atype, uptodate: Any = uptodate) -> bool:
                # With auto-reload, a template of a type that was removed is gone too.
                return ACTIVITY_TYPES.get(atype.name) is atype and (uptodate is None or bool(uptodate()))

            return source, filename, still_current
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for atype in list(ACTIVITY_TYPES.values()):
            folder = template_folder_of(atype)
            if folder is not None and folder.is_dir():
                names.update(jinja2.FileSystemLoader(folder).list_templates())
        return sorted(names)


class _WithTypeTemplates(jinja2.ChoiceLoader):
    """An app's own loader first (a site may override a type's template in its
    templates/ folder), then the types' folders."""


_install_lock = threading.Lock()


def install_template_loader(app: Flask) -> None:
    """Let `app` find the registered types' templates. Idempotent."""
    if isinstance(app.jinja_env.loader, _WithTypeTemplates):
        return  # the usual case: checked without the lock
    with _install_lock:
        env = app.jinja_env
        if not isinstance(env.loader, _WithTypeTemplates):
            env.loader = _WithTypeTemplates([loader for loader in (env.loader, TypeTemplates()) if loader])
