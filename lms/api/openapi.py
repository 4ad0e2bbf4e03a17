"""The OpenAPI 3.1 document of /api/v1, generated from the routes and from the
pydantic models of lms.api.schemas (docs/decisions.md, "Typed API contracts").

Every handler declares its operation next to its route:

    @bp.put("/submissions/<int:submission_id>/grade")
    @operation(summary="Grade a submission", who="trainer", body=GradeIn, ok={200: GradeResult}, errors=(403, 404))
    @roles("trainer")
    def put_grade(submission_id): ...

or, with an operation built elsewhere (an activity type's API action),
`@operation(an_operation)`. The paths,
methods and path parameters come from Flask's url_map, so a route and its
documentation cannot disagree; tests/test_openapi.py checks that every route is
described and validates real answers against the document."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any, TypeVar

from apispec import APISpec
from flask import Flask, current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, models_json_schema

from lms.api import schemas
from lms.api.base import bp

F = TypeVar("F", bound=Callable[..., Any])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REF = "#/components/schemas/{model}"

# What each error status means here (api.md, "Errors").
ERROR_MEANINGS = {
    400: "The body is not JSON (or CSV), or a body or query parameter has the wrong shape",
    401: "Missing, unknown or revoked token",
    403: "The caller's role may not do this",
    404: "No such object, or one the caller may not see",
    409: "A conflict: a stale version, no attempts left, a status that does not allow it",
    413: "The body or an attachment is over the size limit",
    422: "Well-formed but invalid",
    429: "Too many requests",
}


@dataclass(frozen=True)
class Operation:
    """What the document says about one route (for each of its methods).

    `ok` maps success statuses to response models; `errors` lists the error
    statuses the handler itself can answer (401 unless `public`, 429, and the
    statuses of a malformed `body` or `query` are added by themselves);
    `error_bodies` gives an error status another body than the usual envelope;
    `content` describes request bodies that are not JSON (media type → model or
    a JSON schema)."""

    summary: str
    who: str
    ok: Mapping[int, type[BaseModel]]
    errors: tuple[int, ...] = ()
    body: type[BaseModel] | None = None
    content: Mapping[str, type[BaseModel] | dict[str, Any]] = field(default_factory=dict)
    query: type[BaseModel] | None = None
    error_bodies: Mapping[int, tuple[type[BaseModel], ...]] = field(default_factory=dict)
    description: str = ""
    public: bool = False


def operation(spec: Operation | None = None, /, **fields: Any) -> Callable[[F], F]:
    """Declare the operation of a view: `@operation(SPEC)`, `@operation(summary=..., ...)`,
    or `@operation(SPEC, errors=(...))` to change some fields of SPEC. The view is
    returned as it is (nothing is wrapped); its place among the other decorators
    does not matter (functools.wraps carries the declaration)."""
    declared = Operation(**fields) if spec is None else replace(spec, **fields)

    def decorate(view: F) -> F:
        view.__openapi_operation__ = declared  # type: ignore[attr-defined]
        return view

    return decorate


def declared_operation(view: Callable[..., Any], method: str, path: str) -> Operation | None:
    current: Any = view
    while current is not None:
        found = getattr(current, "__openapi_operation__", None)
        if isinstance(found, Operation):
            return found
        current = getattr(current, "__wrapped__", None)
    return None


# -- generation -------------------------------------------------------------------


class _SchemaGenerator(GenerateJsonSchema):
    def field_title_should_be_set(self, schema: Any) -> bool:
        return False  # a property's name says it; "title": "Id" everywhere is noise


_CONVERTERS = {"int": {"type": "integer"}, "float": {"type": "number"}}
_RULE_VARIABLE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@bp.record
def _remember_prefix(state: Any) -> None:
    state.app.extensions["lms.api.url_prefix"] = state.url_prefix or ""


@dataclass
class _Route:
    path: str
    method: str
    endpoint: str
    operation: Operation | None
    parameters: list[dict[str, Any]]


def api_routes(app: Flask) -> list[_Route]:
    """Every route of the API blueprint in app.url_map, as document paths."""
    prefix = app.extensions.get("lms.api.url_prefix", "")
    routes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.partition(".")[0] != bp.name:
            continue
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": dict(_CONVERTERS.get(kind or "", {"type": "string"})),
            }
            for kind, name in _RULE_VARIABLE.findall(rule.rule)
        ]
        path = _RULE_VARIABLE.sub(r"{\2}", rule.rule.removeprefix(prefix))
        view = app.view_functions[rule.endpoint]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            routes.append(
                _Route(path, method.lower(), rule.endpoint, declared_operation(view, method, path), parameters)
            )
    return routes


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(mode="validation", schema_generator=_SchemaGenerator)
    required = set(schema.get("required", []))
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required}
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        # A query parameter is absent rather than null: only the non-null branch.
        branches = [b for b in prop.pop("anyOf", []) if b != {"type": "null"}]
        if len(branches) == 1:
            prop.update(branches[0])
        elif branches:
            prop["anyOf"] = branches
        if prop.get("default", 0) is None:
            del prop["default"]
        parameter["schema"] = prop
        parameters.append(parameter)
    return parameters


def build_document(app: Flask) -> dict[str, Any]:
    """The document of the routes that declare an operation (a route that does not
    is left out, and tests/test_openapi.py fails)."""
    routes = [(route, route.operation) for route in api_routes(app) if route.operation is not None]
    wanted: dict[tuple[type[BaseModel], JsonSchemaMode], None] = {(schemas.Error, "serialization"): None}
    for _route, op in routes:
        for model in op.ok.values():
            wanted[(model, "serialization")] = None
        for models in op.error_bodies.values():
            for model in models:
                wanted[(model, "serialization")] = None
        for request_model in [op.body, *op.content.values()]:
            if isinstance(request_model, type) and issubclass(request_model, BaseModel):
                wanted[(request_model, "validation")] = None
    refs, definitions = models_json_schema(list(wanted), ref_template=REF, schema_generator=_SchemaGenerator)

    spec = APISpec(
        title="Lentera API",
        version="1.0.0",
        openapi_version="3.1.0",
        info={
            "description": "Everything a person can do in the pages, for other programs. "
            "Authenticate with `Authorization: Bearer TOKEN` (a token from the profile page)."
        },
        servers=[{"url": app.extensions.get("lms.api.url_prefix", "") or "/"}],
        security=[{"bearer": []}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name, schema in sorted(definitions.get("$defs", {}).items()):
        spec.components.schema(name, schema)

    def ref(model: type[BaseModel], mode: JsonSchemaMode = "serialization") -> dict[str, Any]:
        return dict(refs[(model, mode)])

    def error_response(status: int, models: tuple[type[BaseModel], ...] = (schemas.Error,)) -> dict[str, Any]:
        schema = ref(models[0]) if len(models) == 1 else {"anyOf": [ref(m) for m in models]}
        meaning = ERROR_MEANINGS.get(status, HTTPStatus(status).phrase)
        return {"description": meaning, "content": {"application/json": {"schema": schema}}}

    by_path: dict[str, dict[str, Any]] = {}
    for route, op in routes:
        responses: dict[int, Any] = {}
        for status, model in op.ok.items():
            responses[status] = {
                "description": (model.__doc__ or HTTPStatus(status).phrase).strip().splitlines()[0],
                "content": {"application/json": {"schema": ref(model)}},
            }
        errors = set(op.errors) | {429}
        if not op.public:
            errors.add(401)
        if op.body is not None or op.content:
            errors |= {400, 413}
        for checked in (op.body, op.query):
            if checked is not None:
                errors.add(getattr(checked, "invalid_status", 400))
        for status in sorted(errors):
            responses[status] = error_response(status, op.error_bodies.get(status, (schemas.Error,)))
        entry: dict[str, Any] = {
            "operationId": route.endpoint.partition(".")[2],
            "summary": op.summary,
            "description": f"Who: {op.who}." + (f"\n\n{op.description}" if op.description else ""),
            "responses": responses,
        }
        if op.public:
            entry["security"] = []
        # Path parameters on each operation (not on the path item), so that the
        # keys of a path are only its methods.
        query = _query_parameters(op.query) if op.query is not None else []
        if route.parameters or query:
            entry["parameters"] = [dict(p) for p in route.parameters] + query
        content: dict[str, Any] = {}
        if op.body is not None:
            content["application/json"] = {"schema": ref(op.body, "validation")}
        for media_type, body in op.content.items():
            schema = ref(body, "validation") if isinstance(body, type) else dict(body)
            content[media_type] = {"schema": schema}
        if content:
            entry["requestBody"] = {"required": True, "content": content}
        by_path.setdefault(route.path, {})[route.method] = entry
    for path in sorted(by_path):
        spec.path(path=path, operations=by_path[path])
    return spec.to_dict()


def document(app: Flask | None = None) -> dict[str, Any]:
    """The document of an app, built once (the routes do not change)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    cached = app.extensions.get("lms.openapi")
    if cached is None:
        cached = app.extensions["lms.openapi"] = build_document(app)
    return cached


@bp.get("/openapi.json")
@operation(
    summary="This OpenAPI 3.1 document", who="anyone, without a token", ok={200: schemas.OpenAPIDocument}, public=True
)
def openapi():
    return jsonify(document())
