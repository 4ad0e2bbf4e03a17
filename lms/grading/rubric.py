"""Rubrics: validation of the TOML file and the score formula of course-format.md.

grade = (sum - min) / (max - min) * max_score      (rounded to 0.1)
"""

from __future__ import annotations

from typing import Any

from lms.coursepacks.source import PackSource, array_of_tables, check_keys, check_unique_id

CRITERION_KEYS = {
    "id": ("str", True),
    "title": ("str", True),
    "description": ("str", False),
}


def load_rubric(source: PackSource, rel: str, owner_field: str) -> dict[str, Any] | None:
    data = source.read_toml(rel, "course.toml", owner_field)
    if data is None:
        return None
    before = len(source.problems)
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        source.problem(rel, "title", "must be a non-empty string")
    criteria = []
    seen: set[str] = set()
    for prefix, criterion in array_of_tables(data, "criterion", source, rel):
        good = check_keys({k: v for k, v in criterion.items() if k != "levels"}, CRITERION_KEYS, source, rel, prefix)
        check_unique_id(good.get("id", ""), seen, source, rel, f"{prefix}id", "criterion")
        levels = _load_levels(criterion.get("levels"), source, rel, f"{prefix}levels")
        if levels is not None:
            criteria.append({**good, "description": good.get("description", ""), "levels": levels})
    if len(source.problems) > before:
        return None
    return {"title": title, "criteria": criteria}


def _load_levels(raw: Any, source: PackSource, rel: str, field: str) -> list[dict[str, Any]] | None:
    if not isinstance(raw, list) or len(raw) < 2:
        source.problem(rel, field, "needs at least two levels")
        return None
    levels: list[dict[str, Any]] = []
    for index, level in enumerate(raw, start=1):
        where = f"{field}[{index}]"
        if not isinstance(level, dict):
            source.problem(rel, where, 'must be a table { points = N, label = "..." }')
            return None
        points, label = level.get("points"), level.get("label")
        if not isinstance(points, (int, float)) or isinstance(points, bool):
            source.problem(rel, f"{where}.points", "must be a number")
            return None
        if not isinstance(label, str) or not label.strip():
            source.problem(rel, f"{where}.label", "must be a non-empty string")
            return None
        extra = set(level) - {"points", "label"}
        if extra:
            source.problem(rel, where, f"unknown key {sorted(extra)[0]}")
            return None
        if levels and points <= levels[-1]["points"]:
            source.problem(rel, f"{where}.points", "level points must increase strictly within a criterion")
            return None
        levels.append({"points": points, "label": label})
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


def check_picked(rubric: dict[str, Any], picked: Any) -> list[dict[str, str]]:
    """Problems with a grader's picks: every criterion once, each a level's points."""
    problems: list[dict[str, str]] = []
    if not isinstance(picked, dict):
        return [{"field": "criteria", "message": "must be an object of criterion id to points"}]
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
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value not in points:
            problems.append(
                {"field": f"criteria.{cid}", "message": f"{value!r} is not a level; choose one of {points}"}
            )
    return problems
