"""The typed contracts of course-pack files (course-format.md), as pydantic models.

Every TOML table of a pack has a model: course.toml, an [[activity]] of each
type (the type's `config_model`), a quiz's [[question]], a rubric's
[[criterion]] and its levels. Models forbid unknown keys, so a typo is an error
rather than a key that silently does nothing, and are strict, because TOML has
real types: "3" is not 3 and true is not 1.

A field's type says what a trainer reads when a value does not fit (`Says`), so
a problem keeps the wording of course-format.md's validator: `PATH:FIELD: message`.
pydantic's own wording ("Input should be a valid integer") names Python types
that a trainer editing TOML does not know.

Checks that span fields or files (pass_score within max_score, unique ids,
answers within the choices, levels that increase) stay with the loader of each
file. They run on the fields that passed (`TableCheck.good`), so one mistake does
not hide another, as the validator always did.
"""

from __future__ import annotations

import typing
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo

REQUIRED = "is required"
UNKNOWN = "unknown key"


@dataclass(frozen=True)
class Says:
    """The message for a value of this type that does not fit. `{choices}` is
    filled with the values of a Literal. With `when_missing`, a missing key gets
    the same message instead of "is required" (where the old validator said so)."""

    message: str
    when_missing: bool = False


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


# The field types of pack files. Each carries its message.
Text = Annotated[str, Field(min_length=1), AfterValidator(_not_blank), Says("must be a non-empty string")]
PackPath = Annotated[
    str,
    Field(min_length=1, description="A file of the pack, relative to the pack folder."),
    AfterValidator(_not_blank),
    Says("must be a path to a file in the pack"),
]
Integer = Annotated[int, Says("must be an integer")]
PositiveInt = Annotated[int, Field(gt=0), Says("must be a positive integer")]
NonNegativeInt = Annotated[int, Field(ge=0), Says("must be an integer of 0 or more")]
# An int stays an int and a float a float: the config is hashed and shown as written.
Number = Annotated[int | float, Says("must be a number")]
Percent = Annotated[
    Annotated[int, Field(ge=0, le=100)] | Annotated[float, Field(ge=0, le=100)],
    Says("must be a number from 0 to 100"),
]
TextList = Annotated[list[str], Says("must be a list of strings")]
#: Put after a Literal: `Annotated[Literal["a", "b"], ONE_OF]` says "must be one of a, b".
ONE_OF = Says("must be one of {choices}")


class PackTable(BaseModel):
    """A table of a pack file: unknown keys refused, TOML types taken as they are."""

    model_config = ConfigDict(extra="forbid", strict=True)


class CourseFile(PackTable):
    """course.toml. Each [[activity]] table is checked by the model of its type."""

    slug: Text = Field(description="Unique; lowercase letters, digits and hyphens.")
    title: Text
    summary: Text | None = None
    order: Integer = Field(description="Position in the catalogue.")
    hours: NonNegativeInt = Field(description="Jam pelajaran (JP), printed on certificates.")
    language: Text | None = Field(default=None, description='BCP 47 tag of the content (default "id").')
    activity: list[dict[str, Any]] = Field(description="The activities, in the order trainees see them.")


class ActivityTable(PackTable):
    """The keys of every [[activity]]; a type's model adds its own."""

    type: Text
    slug: Text
    title: Text


COMMON_ACTIVITY_KEYS = frozenset(ActivityTable.model_fields)


# -- checking one table ---------------------------------------------------------------


@dataclass
class TableCheck:
    """The outcome of checking one table against its model."""

    good: dict[str, Any] = field(default_factory=dict)  # the keys that passed, in the model's order, as written
    unknown: list[str] = field(default_factory=list)  # keys the model does not know, in file order
    invalid: dict[str, str] = field(default_factory=dict)  # key -> message, in the model's order

    def problems(self, *, held: Collection[str] = ()) -> list[tuple[str, str]]:
        """(key, message) pairs: unknown keys first, then the invalid ones, less
        the `held` keys (which the loader reports later, after checks that always
        came first)."""
        found = [(key, UNKNOWN) for key in self.unknown]
        return found + [(key, message) for key, message in self.invalid.items() if key not in held]


def check_table(model: type[BaseModel], table: Mapping[str, Any], *, skip: Collection[str] = ()) -> TableCheck:
    """Check `table` against `model`, leaving out the keys in `skip` (arrays of
    tables that are checked one table at a time)."""
    fields = {_key(name, info): info for name, info in model.model_fields.items()}
    data = {key: value for key, value in table.items() if key not in skip}
    errors: dict[str, list[Any]] = {}
    try:
        model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            errors.setdefault(str(error["loc"][0]) if error["loc"] else "", []).append(error)
    check = TableCheck(unknown=[key for key in data if key not in fields])
    for key, info in fields.items():
        if key in skip:
            continue
        found = errors.get(key)
        if found:
            check.invalid[key] = _message(info, found, missing=key not in data)
        elif key in data:
            check.good[key] = data[key]
    if errors.get(""):  # a model validator of a plugin's model: said of the whole table
        check.invalid[""] = _plain(errors[""][0])
    return check


def _key(name: str, info: FieldInfo) -> str:
    return info.alias or name


def _message(info: FieldInfo, errors: list[Any], *, missing: bool) -> str:
    says = field_says(info)
    if missing and not (says and says.when_missing):
        return REQUIRED
    if says is None:
        return _plain(errors[0])
    if "{choices}" not in says.message:
        return says.message
    return says.message.format(choices=", ".join(str(v) for v in _literal_values(info.annotation)))


def _plain(error: Any) -> str:
    """pydantic's message, for a field whose type says nothing of its own (a
    plugin's `str`), without the "Value error, " of a validator's ValueError."""
    return str(error["msg"]).removeprefix("Value error, ")


def field_says(info: FieldInfo) -> Says | None:
    """The last `Says` of a field, in its metadata or inside its annotation (an
    optional field keeps its type's metadata inside the `X | None`)."""
    found = [m for m in info.metadata if isinstance(m, Says)]
    found += _says_in(info.annotation)
    return found[-1] if found else None


def _says_in(annotation: Any) -> list[Says]:
    found: list[Says] = []
    for arg in typing.get_args(annotation):
        if isinstance(arg, Says):
            found.append(arg)
        elif not isinstance(arg, (str, int, float, FieldInfo)):
            found += _says_in(arg)
    return found


def _literal_values(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) is Literal:
        return list(typing.get_args(annotation))
    values: list[Any] = []
    for arg in typing.get_args(annotation):
        if not isinstance(arg, (Says, FieldInfo, str, int, float)):
            values += _literal_values(arg)
    return values
