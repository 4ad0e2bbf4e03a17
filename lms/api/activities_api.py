"""/api/v1 actions on an activity: `POST /courses/<course>/activities/<activity>/<action>`.

The actions belong to the activity types (`ActivityType.api_actions`, and the
`complete` that every type answers), so one dispatcher serves them all: it
checks the role, finds the activity the caller may open, asks the activity's
type for the action, validates the body with the action's model, runs it and
answers with its model. Nothing here knows a type.

When the blueprint is registered with an app, each action name that the
registered types offer is mounted as its own route (…/complete, …/attempts,
…/submissions), so the OpenAPI document describes each with its type's models
and every documented path is a route. The types must therefore be loaded before
the blueprint is registered, as create_app does; a type registered later has no
routes in that app.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import g, request
from pydantic import BaseModel, ValidationError

from lms.api.base import BadRequest, bp, field_problems, parse_body, reply, roles
from lms.api.openapi import Operation, operation
from lms.cohorts import services as cohorts
from lms.coursepacks.types import ACTIVITY_TYPES, ApiAction, offered_actions
from lms.errors import Forbidden, NotFound
from lms.learning import services as learning

if TYPE_CHECKING:  # pragma: no cover
    from flask.blueprints import BlueprintSetupState
    from flask.typing import ResponseReturnValue

    from lms.coursepacks.models import Activity

ACTIVITY_PATH = "/courses/<course>/activities/<activity>"
ACTION_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@bp.record
def mount_actions(state: BlueprintSetupState) -> None:
    if not ACTIVITY_TYPES:
        raise RuntimeError("load the activity types before registering the API blueprint")
    for name, action in offered_actions().items():
        if not ACTION_NAME.match(name):
            raise ValueError(f"API action {name!r}: use lowercase letters, digits and hyphens")
        endpoint = "activity_" + name.replace("-", "_")
        state.add_url_rule(f"{ACTIVITY_PATH}/{name}", endpoint, _view(name, action), methods=["POST"])


def _view(name: str, declared: ApiAction) -> Callable[..., ResponseReturnValue]:
    """The route of one action name. Its role and documentation are those of the
    first type that offers the name (offered_actions)."""

    def view(course: str, activity: str) -> ResponseReturnValue:
        return dispatch(name, course, activity)

    view.__name__ = view.__qualname__ = "activity_" + name.replace("-", "_")
    return operation(_operation(declared))(roles(*declared.roles)(view))


def _operation(action: ApiAction) -> Operation:
    return Operation(
        summary=action.summary,
        who=", ".join(action.roles),
        ok={action.status: action.ok},
        errors=action.errors,
        body=action.body,
        content={"multipart/form-data": action.form} if action.form is not None else {},
    )


def dispatch(name: str, course_slug: str, activity_slug: str) -> ResponseReturnValue:
    found = _activity(course_slug, activity_slug)
    atype = ACTIVITY_TYPES.get(found.type)
    action = atype.api_action(name) if atype is not None else None
    if action is None:
        declared = offered_actions().get(name)
        raise NotFound(declared.not_here if declared else "No such action.")
    if not g.api_user.has_role(*action.roles):  # a type may ask more than the route's role
        raise Forbidden("Your role may not do this.")
    result = action.run(found, g.api_user, _body(action))
    return reply(result, action.status)


def _activity(course_slug: str, activity_slug: str) -> Activity:
    course = cohorts.get_course_for(g.api_user, course_slug)
    activity = learning.get_activity(course, activity_slug)
    if activity is None:
        raise NotFound("No such activity.")
    return activity


def _body(action: ApiAction) -> BaseModel | None:
    if action.form is not None and request.mimetype == "multipart/form-data":
        return _parse_form(action.form)
    if action.body is not None:
        return parse_body(action.body)
    return None


def _parse_form(model: type[BaseModel]) -> BaseModel:
    """A multipart/form-data body: its fields, and its files as lists by field name."""
    data: dict[str, Any] = request.form.to_dict()
    data.update({key: request.files.getlist(key) for key in request.files})
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = field_problems(exc)
        first = problems[0]
        raise BadRequest(f"The form does not fit: {first['field']}: {first['message']}.", problems) from None
