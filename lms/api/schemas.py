"""The typed contract of /api/v1: a pydantic model for every request body, query
string and response body. Handlers validate what comes in with these models and
build what goes out with them; lms.api.openapi generates the OpenAPI document
from the same models, so the document cannot drift from the code.

Request models (`Body`, `Query`) check the *shape* of what a client sends; the
services keep the business rules (a criterion of the rubric, points that are a
level, attempts left). Response models (`Out`) forbid unknown fields, so a field
that a handler adds without describing it fails the tests instead of going out
undocumented."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    RootModel,
    WithJsonSchema,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError


def _number(value: Any) -> int | float:
    # An int stays an int and a float a float: 2 is sent back as 2, not 2.0.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PydanticCustomError("number_type", "Input should be a number")
    return value


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


def _iso_date(value: Any) -> Any:
    value = _blank_is_none(value)
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_format", "Input should be a date like 2019-10-28") from None
    return value


def _omit(schema: dict[str, Any]) -> None:
    """A field that is left out rather than sent as null: no default in its schema."""
    schema.pop("default", None)


#: A JSON number, integer or not, kept as sent (never a boolean or a string).
Number = Annotated[int | float, PlainValidator(_number), WithJsonSchema({"type": "number"})]
#: A text that holds a date and time in ISO 8601 (`2019-10-28T09:30:00+00:00`).
DateTimeText = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
#: A text that holds a date in ISO 8601 (`2019-10-28`).
DateText = Annotated[str, Field(json_schema_extra={"format": "date"})]
#: A date in a query string: ISO 8601 only (`2019-10-28`); empty is absent.
QueryDate = Annotated[date | None, BeforeValidator(_iso_date)]

Role = Literal["trainee", "trainer", "organizer", "admin"]
SubmissionStatus = Literal["submitted", "graded", "revise", "released"]
ProgressStatus = Literal["not_started", "in_progress", "submitted", "graded", "revise", "failed", "completed"]
ModuleStatus = Literal["completed", "in_progress", "not_started"]
Outcome = Literal["save", "release", "revise"]
QuizKind = Literal["pre-test", "post-test", "practice"]
#: With `= Field(default=None, json_schema_extra=_omit)`: a field that is left out
#: when it does not apply (never sent as null), so the schema has no null either.
Omitted = SkipJsonSchema[None]


# -- bases ---------------------------------------------------------------------


class Body(BaseModel):
    """A JSON request body. Types are strict (no "3" for 3, no 1 for true) and
    unknown keys are refused: a typo should not silently do nothing."""

    model_config = ConfigDict(extra="forbid", strict=True)
    #: The status of an answer to a body that does not fit the model: 400
    #: (api.md: "of the wrong shape") unless an operation has always said 422.
    invalid_status: ClassVar[int] = 400


class Query(BaseModel):
    """Query-string parameters (texts converted to their types). Unknown
    parameters are ignored, as before."""

    model_config = ConfigDict(extra="ignore")
    invalid_status: ClassVar[int] = 400


class Out(BaseModel):
    """A response body, or a part of one."""

    model_config = ConfigDict(extra="forbid")


# -- errors --------------------------------------------------------------------


class FieldProblem(Out):
    """One field of a request that does not fit."""

    field: str = Field(description="Where, as a dotted path: `criteria.judul`, `answers.q1[0]`.")
    message: str


class ErrorInfo(Out):
    code: str = Field(
        description="bad_request, unauthorized, forbidden, not_found, method_not_allowed, conflict, "
        "too_large, invalid, too_many_requests or server_error."
    )
    message: str = Field(description="For people, in the caller's language where translated.")
    details: Any = Field(
        default=None,
        description="When there is more to say: for a body that does not fit, a list of "
        "`{field, message}`; for a stale grade, `{current_version, current, yours}`.",
    )


class Error(Out):
    """Every error of the API (except the rejected import of participants)."""

    error: ErrorInfo


class ImportProblem(Out):
    line: int = Field(description="1 is the header row.")
    field: str
    message: str


class ImportErrors(Out):
    """A rejected participant file: every problem with its line and field; nothing was written."""

    errors: list[ImportProblem]


# -- the caller and the catalogue ----------------------------------------------


class CohortRef(Out):
    id: int
    name: str


class Me(Out):
    """The caller."""

    id: int
    name: str
    email: str
    role: Role
    language: str
    timezone: str
    cohorts: list[CohortRef]


class CatalogueActivity(Out):
    """An activity of the catalogue. Activity types add their own fields (a plugin
    type may add more): an assignment its `max_score`, a quiz its `kind` and number
    of `questions`."""

    model_config = ConfigDict(extra="allow")

    slug: str
    type: str
    title: str
    max_score: Number | Omitted = Field(default=None, description="Assignments only.", json_schema_extra=_omit)
    kind: QuizKind | Omitted = Field(default=None, description="Quizzes only.", json_schema_extra=_omit)
    questions: int | Omitted = Field(default=None, description="Quizzes only.", json_schema_extra=_omit)


class CatalogueCourse(Out):
    slug: str
    title: str
    order: int
    hours: int
    activities: list[CatalogueActivity]


class Catalogue(RootModel[list[CatalogueCourse]]):
    """The courses the caller may open, in order."""


class ActivityProgress(Out):
    slug: str
    type: str
    completed: bool
    status: ProgressStatus
    score: Number | Omitted = Field(
        default=None, description="Only once there is one (best quiz percent, released grade).", json_schema_extra=_omit
    )


class CourseProgressOut(Out):
    slug: str
    completed: bool
    percent: int
    activities: list[ActivityProgress]


class Progress(Out):
    """The caller's progress."""

    courses: list[CourseProgressOut]
    completed_courses: int
    total_courses: int


# -- activities (the handlers live in lms.api.activities_api) -------------------


class Completed(Out):
    completed: Literal[True]


class SubmissionForm(BaseModel):
    """An assignment as multipart/form-data."""

    text: str = ""
    submit_key: str = ""
    files: list[bytes] = Field(default_factory=list, description="The attachments.")


# -- submissions and grading ----------------------------------------------------


class SubmissionsQuery(Query):
    status: Annotated[SubmissionStatus | None, BeforeValidator(_blank_is_none)] = None
    course: Annotated[str | None, BeforeValidator(_blank_is_none)] = Field(default=None, description="A course slug.")
    cohort: Annotated[int | None, BeforeValidator(_blank_is_none)] = Field(default=None, description="A cohort id.")


class Person(Out):
    id: int
    name: str


class SubmissionFile(Out):
    id: int
    name: str
    size: int
    content_type: str


class GradeOut(Out):
    score: Number
    max_score: Number
    criteria: dict[str, Number] = Field(description="The points given per criterion id.")
    comments: dict[str, str] = Field(description="Comments per criterion id.")
    feedback: str
    rubric_version: int
    grader: str | None
    released: bool


class SubmissionOut(Out):
    """A submission. Its owner sees `grade` only once it is released (null before)."""

    id: int
    trainee: Person
    course: str
    activity: str
    attempt: int
    text: str
    status: SubmissionStatus
    version: int = Field(description="Send it back with a grade; a stale one is a 409.")
    late: bool
    submitted_at: DateTimeText
    files: list[SubmissionFile]
    grade: GradeOut | None


class SubmissionList(RootModel[list[SubmissionOut]]):
    """Submissions the caller may grade or see, oldest first (at most 500)."""


class GradeIn(Body):
    """A grade. `criteria` names every criterion of the rubric in force, each with
    the points of one of its levels (checked against the rubric: 422)."""

    # The grading API has always answered 422 for a grade that does not fit.
    invalid_status: ClassVar[int] = 422

    version: int = Field(description="The submission's version as last read.")
    criteria: dict[str, Number]
    comments: dict[str, str] | None = None
    feedback: str = ""
    outcome: Outcome = "save"


class GradeResult(Out):
    score: Number
    max_score: Number
    status: SubmissionStatus
    version: int


# -- cohorts --------------------------------------------------------------------


class Milestone(Out):
    title: str
    date: DateText | None


class CohortOut(Out):
    id: int
    name: str
    start_date: DateText
    end_date: DateText
    milestone: Milestone
    courses: list[str] = Field(description="Course slugs.")
    archived: bool


class CohortList(RootModel[list[CohortOut]]):
    """The cohorts the caller works in."""


class CourseCompletion(Out):
    slug: str
    title: str
    completed: int
    in_progress: int
    not_started: int


class ProvinceCompletion(Out):
    province: str
    participants: int
    completed: int
    percent: Number


class TypeCompletion(Out):
    participant_type: str = Field(description='A participant type ("" when not set).')
    participants: int
    completed: int
    percent: Number


class Gain(Out):
    slug: str
    participants: int = Field(description="Participants with both a pre-test and a post-test.")
    pre: Number | None
    post: Number | None
    gain: Number | None


class AtRisk(Out):
    id: int
    name: str
    missing: list[str] = Field(description="Slugs of the courses not completed.")
    blockers: dict[str, dict[str, int]] = Field(
        description="Per missing course, what holds it up: blocker code → number of activities."
    )
    trainers: list[str]
    last_reminder: DateTimeText | None


class CohortCompletion(Out):
    """A cohort's completion: figures, per course, per province and type, the at-risk list."""

    cohort: CohortRef
    milestone: Milestone
    participants: int
    completed: int
    percent: Number
    days_to_milestone: int | None
    grading_backlog: int
    by_course: list[CourseCompletion]
    by_province: list[ProvinceCompletion]
    by_participant_type: list[TypeCompletion]
    gain: list[Gain]
    at_risk: list[AtRisk]


class ImportQuery(Query):
    dry_run: Annotated[bool, BeforeValidator(lambda v: _blank_is_none(v) or False)] = Field(
        default=False, description="1 or true: check the file and report, write nothing."
    )


class PlannedRow(Out):
    line: int
    email: str
    action: Literal["create", "update"]
    enrol: bool


class Invitation(Out):
    id: int
    email: str
    url: str


class ImportPreview(Out):
    """What the file would do (`dry_run`): nothing is written."""

    created: int
    updated: int
    enrolled: int
    dry_run: Literal[True]
    rows: list[PlannedRow]


class ImportDone(Out):
    """What the file did."""

    created: int
    updated: int
    enrolled: int
    dry_run: Literal[False]
    invitations_emailed: bool
    invitations: list[Invitation] = Field(description="The new people's invitation links, to pass on by hand.")


class ImportResult(RootModel[ImportPreview | ImportDone]):
    """The import report."""


# -- libraries --------------------------------------------------------------------


class LeaderboardQuery(Query):
    since: QueryDate = Field(
        default=None, description="First day (default: the current cohort's period, or 1 January)."
    )
    until: QueryDate = Field(default=None, description="Last day (default: today).")
    province: Annotated[str | None, BeforeValidator(_blank_is_none)] = Field(
        default=None, description="Rank within one province."
    )


class LibraryRank(Out):
    rank: int = Field(description="Equal counts share a rank; the next rank skips (1, 2, 2, 4).")
    library: str
    library_id: int
    village: str
    regency: str
    province: str
    posts: int = Field(description="Documented activities that count in the period.")


class Leaderboard(RootModel[list[LibraryRank]]):
    """Libraries ranked by documented activities, most first."""


# -- the document itself ------------------------------------------------------------


class OpenAPIDocument(BaseModel):
    """This OpenAPI 3.1 document."""

    model_config = ConfigDict(extra="allow")

    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
