"""Rubrics: validation of the TOML file and the score formula of course-format.md.

grade = (sum - min) / (max - min) * max_score      (rounded to 0.1)
"""

from __future__ import annotations

from typing import Annotated, Any

from lms.coursepacks.contracts import UNKNOWN, Number, PackTable, Says, Text, check_table
from lms.coursepacks.source import PackSource, check_unique_id


class RubricLevel(PackTable):
    """One level of a criterion: `{ points = N, label = "..." }`."""

    points: Annotated[Number, Says("must be a number", when_missing=True)]
    label: Annotated[Text, Says("must be a non-empty string", when_missing=True)]


class RubricCriterion(PackTable):
    """A [[criterion]] of a rubric file."""

    id: Text
    title: Text
    description: Text | None = None
    levels: list[RubricLevel]  # at least two, points strictly increasing


class RubricFile(PackTable):
    """A rubric file: a title and its [[criterion]] tables."""

    title: Annotated[Text, Says("must be a non-empty string", when_missing=True)]
    criterion: list[RubricCriterion]


def load_rubric(source: PackSource, rel: str, owner_field: str) -> dict[str, Any] | None:
    """The rubric file `rel` as stored in rubric versions, or None (with the
    problems on `source`). Declared as the assignment type's `rubric` file."""
    data = source.read_toml(rel, "course.toml", owner_field)
    if data is None:
        return None
    before = len(source.problems)
    top = check_table(RubricFile, data, skip={"criterion"})
    # The title has always been reported before the other keys of the file.
    for key, message in top.invalid.items():
        source.problem(rel, key, message)
    for key in top.unknown:
        source.problem(rel, key, UNKNOWN)
    criteria = []
    seen: set[str] = set()
    for prefix, criterion in source.tables(data, "criterion", rel):
        good = source.check(RubricCriterion, criterion, rel, prefix, skip={"levels"}).good
        check_unique_id(good.get("id", ""), seen, source, rel, f"{prefix}id", "criterion")
        levels = _load_levels(criterion.get("levels"), source, rel, f"{prefix}levels")
        if levels is not None:
            criteria.append({**good, "description": good.get("description", ""), "levels": levels})
    if len(source.problems) > before:
        return None
    return {"title": data["title"], "criteria": criteria}


def _load_levels(raw: Any, source: PackSource, rel: str, field: str) -> list[dict[str, Any]] | None:
    """The levels of a criterion. Only the first problem of a criterion's levels
    is reported: the ones after it are judged against it."""
    if not isinstance(raw, list) or len(raw) < 2:
        source.problem(rel, field, "needs at least two levels")
        return None
    levels: list[dict[str, Any]] = []
    for index, level in enumerate(raw, start=1):
        where = f"{field}[{index}]"
        if not isinstance(level, dict):
            source.problem(rel, where, 'must be a table { points = N, label = "..." }')
            return None
        check = check_table(RubricLevel, level)
        if check.invalid:
            key, message = next(iter(check.invalid.items()))
            source.problem(rel, f"{where}.{key}", message)
            return None
        if check.unknown:
            source.problem(rel, where, f"unknown key {sorted(check.unknown)[0]}")
            return None
        points = level["points"]
        if levels and points <= levels[-1]["points"]:
            source.problem(rel, f"{where}.points", "level points must increase strictly within a criterion")
            return None
        levels.append({"points": points, "label": level["label"]})
    return levels


def point_range(rubric: dict[str, Any]) -> tuple[float, float]:
    low = sum(c["levels"][0]["points"] for c in rubric["criteria"])
    high = sum(c["levels"][-1]["points"] for c in rubric["criteria"])
    return low, high


def compute_score(rubric: dict[str, Any], picked: dict[str, float], max_score: float) -> float:
    """The grade for picked points per criterion, by the formula of course-format.md."""
    low, high = point_range(rubric)
    total = sum(picked[c["id"]] for c in rubric["criteria"])
    if high == low:
        return float(max_score)
    return round((total - low) / (high - low) * max_score, 1)


def check_picked(rubric: dict[str, Any], picked: dict[str, Any]) -> list[dict[str, str]]:
    """Problems with a grader's picks: every criterion once, each a level's points.
    (That `picked` maps ids to numbers is checked where it comes in; a form passes
    a text it could not read as a number, which is no level either.)"""
    problems: list[dict[str, str]] = []
    by_id = {c["id"]: c for c in rubric["criteria"]}
    for cid in picked:
        if cid not in by_id:
            problems.append({"field": f"criteria.{cid}", "message": "unknown criterion"})
    for cid, criterion in by_id.items():
        if cid not in picked:
            problems.append({"field": f"criteria.{cid}", "message": "missing: pick a level"})
            continue
        value = picked[cid]
        points = [level["points"] for level in criterion["levels"]]
        if value not in points:
            problems.append(
                {"field": f"criteria.{cid}", "message": f"{value!r} is not a level; choose one of {points}"}
            )
    return problems
