"""Reading and validating course packs. Pure functions: nothing here touches the
database, so `courses check` can run anywhere and sync validates before writing.

Every problem is reported as `PATH:FIELD: message`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from lms.coursepacks.types import ACTIVITY_TYPES

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COURSE_KEYS = {"slug", "title", "summary", "order", "hours", "language", "activity"}
COMMON_ACTIVITY_KEYS = {"type", "slug", "title"}
# Relative links and images in Markdown: [text](target) and ![alt](target).
LINK_RE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_SRC_RE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
ASSET_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".csv", ".pdf", ".txt", ".xlsx"}


@dataclass(frozen=True)
class Problem:
    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.field}: {self.message}"


@dataclass
class LoadedActivity:
    type: str
    slug: str
    title: str
    position: int
    config: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_path: str = ""  # relative to the pack, for resolving links
    rubric: dict[str, Any] | None = None

    @property
    def content_hash(self) -> str:
        payload = {"type": self.type, "title": self.title, "config": self.config, "body": self.body}
        return _hash(payload)

    @property
    def rubric_hash(self) -> str | None:
        return _hash(self.rubric) if self.rubric is not None else None


@dataclass
class LoadedPack:
    path: Path
    slug: str
    title: str
    summary: str
    order: int
    hours: int
    language: str
    activities: list[LoadedActivity]


def _hash(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class PackSource:
    """A pack folder, with helpers that report problems against its files."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.display = str(root)
        self.problems: list[Problem] = []

    def display_path(self, rel: str) -> str:
        return f"{self.display.rstrip('/')}/{rel}"

    def problem(self, rel: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.display_path(rel), field_name, message))

    def resolve(self, rel: str) -> Path | None:
        """The file `rel` inside the pack, or None when it escapes the pack."""
        candidate = (self.root / rel).resolve()
        if candidate != self.root and self.root not in candidate.parents:
            return None
        return candidate

    def read_text(self, rel: str, owner: str, field_name: str) -> str | None:
        if not isinstance(rel, str) or not rel:
            self.problem(owner, field_name, "must be a path to a file in the pack")
            return None
        path = self.resolve(rel)
        if path is None:
            self.problem(owner, field_name, f"{rel} points outside the pack")
            return None
        if not path.is_file():
            self.problem(owner, field_name, f"file not found: {rel}")
            return None
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.problem(rel, field_name, "not UTF-8 text")
            return None

    def read_toml(self, rel: str, owner: str, field_name: str) -> dict[str, Any] | None:
        text = self.read_text(rel, owner, field_name)
        if text is None:
            return None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            self.problem(rel, "toml", f"invalid TOML: {exc}")
            return None

    def check_markdown_links(self, rel: str, text: str) -> None:
        """Every relative link or image in a Markdown file must exist in the pack."""
        base = Path(rel).parent
        for target in LINK_RE.findall(text) + HTML_SRC_RE.findall(text):
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#"):
                if target.lower().startswith(("javascript:", "data:", "vbscript:")):
                    self.problem(rel, "link", f"unsafe link {target}")
                continue
            if target.startswith("/"):
                self.problem(rel, "link", f"{target}: links must be relative to the file")
                continue
            path_part = target.split("#", 1)[0].split("?", 1)[0]
            resolved = self.resolve(str(base / path_part))
            if resolved is None or not resolved.is_file():
                self.problem(rel, "link", f"{target} does not resolve to a file in the pack")


# -- key checking shared by the course and every activity type ---------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


KIND_CHECKS: dict[str, tuple[Any, str]] = {
    "str": (lambda v: isinstance(v, str) and v.strip() != "", "must be a non-empty string"),
    "path": (lambda v: isinstance(v, str) and v.strip() != "", "must be a path to a file in the pack"),
    "int": (_is_int, "must be an integer"),
    "posint": (lambda v: _is_int(v) and v > 0, "must be a positive integer"),
    "nonnegint": (lambda v: _is_int(v) and v >= 0, "must be an integer of 0 or more"),
    "number": (_is_number, "must be a number"),
    "percent": (lambda v: _is_number(v) and 0 <= v <= 100, "must be a number from 0 to 100"),
    "strlist": (lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v), "must be a list of strings"),
}


def check_keys(
    table: dict[str, Any],
    schema: dict[str, tuple[str, bool]],
    source: PackSource,
    rel: str,
    prefix: str,
) -> dict[str, Any]:
    """Check `table` against `schema` (key -> (kind, required)); unknown keys are
    problems too. Returns the keys that passed."""
    good: dict[str, Any] = {}
    for key in table:
        if key not in schema:
            source.problem(rel, f"{prefix}{key}", "unknown key")
    for key, (kind, required) in schema.items():
        if key not in table:
            if required:
                source.problem(rel, f"{prefix}{key}", "is required")
            continue
        value = table[key]
        if kind.startswith("enum:"):
            allowed = kind[5:].split("|")
            ok, message = value in allowed, f"must be one of {', '.join(allowed)}"
        else:
            check, message = KIND_CHECKS[kind]
            ok = check(value)
        if ok:
            good[key] = value
        else:
            source.problem(rel, f"{prefix}{key}", message)
    return good


def array_of_tables(data: dict[str, Any], name: str, source: PackSource, rel: str) -> list[tuple[str, dict]]:
    """The `[[name]]` tables of a file as (field prefix, table) pairs; every other
    top-level key except `title` is a problem, and so is an empty array."""
    for key in data:
        if key not in {name, "title"}:
            source.problem(rel, key, "unknown key")
    raw = data.get(name)
    if not isinstance(raw, list) or not raw:
        source.problem(rel, name, f"at least one [[{name}]] is required")
        return []
    tables = []
    for index, table in enumerate(raw, start=1):
        if isinstance(table, dict):
            tables.append((f"{name}[{index}].", table))
        else:
            source.problem(rel, f"{name}[{index}]", "must be a table")
    return tables


def check_unique_id(value: str, seen: set[str], source: PackSource, rel: str, field_name: str, what: str) -> None:
    if value and not SLUG_RE.match(value.replace("_", "-")):
        source.problem(rel, field_name, "use lowercase letters, digits and hyphens only")
    elif value in seen:
        source.problem(rel, field_name, f"duplicate {what} id {value!r}")
    seen.add(value)


# -- the pack ---------------------------------------------------------------


def load_pack(root: Path) -> tuple[LoadedPack | None, list[Problem]]:
    source = PackSource(root)
    data = source.read_toml("course.toml", "course.toml", "course.toml")
    if data is None:
        return None, source.problems
    schema = {
        "slug": ("str", True),
        "title": ("str", True),
        "summary": ("str", False),
        "order": ("int", True),
        "hours": ("nonnegint", True),
        "language": ("str", False),
        "activity": ("list", True),
    }
    table = {k: v for k, v in data.items() if k != "activity"}
    good = check_keys(table, {k: v for k, v in schema.items() if k != "activity"}, source, "course.toml", "")
    slug = good.get("slug", "")
    if slug and not SLUG_RE.match(slug):
        source.problem("course.toml", "slug", "use lowercase letters, digits and hyphens only")
    raw_activities = data.get("activity")
    if not isinstance(raw_activities, list) or not raw_activities:
        source.problem("course.toml", "activity", "at least one [[activity]] is required")
        raw_activities = []
    activities = _load_activities(raw_activities, source)
    if source.problems:
        return None, source.problems
    pack = LoadedPack(
        path=root,
        slug=slug,
        title=good["title"],
        summary=good.get("summary", ""),
        order=good["order"],
        hours=good["hours"],
        language=good.get("language", "id"),
        activities=activities,
    )
    return pack, []


def _load_activities(raw_activities: list[Any], source: PackSource) -> list[LoadedActivity]:
    activities: list[LoadedActivity] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_activities, start=1):
        prefix = f"activity[{index}]."
        if not isinstance(raw, dict):
            source.problem("course.toml", f"activity[{index}]", "must be a table")
            continue
        type_name = raw.get("type")
        atype = ACTIVITY_TYPES.get(type_name) if isinstance(type_name, str) else None
        if atype is None:
            known = ", ".join(sorted(ACTIVITY_TYPES))
            source.problem("course.toml", f"{prefix}type", f"unknown activity type {type_name!r} (known: {known})")
            continue
        schema = {"type": ("str", True), "slug": ("str", True), "title": ("str", True), **atype.keys}
        good = check_keys(raw, schema, source, "course.toml", prefix)
        slug = good.get("slug", "")
        if slug and not SLUG_RE.match(slug):
            source.problem("course.toml", f"{prefix}slug", "use lowercase letters, digits and hyphens only")
        elif slug in seen:
            source.problem("course.toml", f"{prefix}slug", f"duplicate activity slug {slug!r}")
        seen.add(slug)
        loaded = LoadedActivity(
            type=str(type_name),
            slug=slug,
            title=good.get("title", ""),
            position=index,
            config={k: v for k, v in good.items() if k not in COMMON_ACTIVITY_KEYS},
        )
        before = len(source.problems)
        atype.load(loaded, source, prefix)
        if len(source.problems) == before:
            activities.append(loaded)
    return activities


# -- discovery --------------------------------------------------------------


def _packs_in(folder: Path) -> list[Path]:
    if (folder / "course.toml").is_file():
        return [folder]
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if (p / "course.toml").is_file())


def discover(builtin: Path, extra_paths: str, entry_point_paths: list[Path]) -> list[Path]:
    """Pack folders from courses/, LMS_COURSE_PATHS and `lms.courses` entry points."""

    found: list[Path] = list(_packs_in(builtin))
    for item in filter(None, (extra_paths or "").split(os.pathsep)):
        found.extend(_packs_in(Path(item)))
    for path in entry_point_paths:
        found.extend(_packs_in(path))
    unique: list[Path] = []
    for path in found:
        if path.resolve() not in {p.resolve() for p in unique}:
            unique.append(path)
    return unique


def entry_point_paths() -> list[Path]:
    paths = []
    for ep in entry_points(group="lms.courses"):
        target = ep.load()
        paths.append(Path(target() if callable(target) else target))
    return paths


def load_packs(paths: list[Path]) -> tuple[list[LoadedPack], list[Problem]]:
    """Load and validate every pack; two packs with one slug are a problem too."""
    packs: list[LoadedPack] = []
    problems: list[Problem] = []
    by_slug: dict[str, LoadedPack] = {}
    for path in paths:
        pack, pack_problems = load_pack(path)
        problems.extend(pack_problems)
        if pack is None:
            continue
        if pack.slug in by_slug:
            other = by_slug[pack.slug]
            problems.append(
                Problem(
                    f"{path}/course.toml",
                    "slug",
                    f"slug {pack.slug!r} is used by two packs: {other.path} and {path}",
                )
            )
            continue
        by_slug[pack.slug] = pack
        packs.append(pack)
    return packs, problems
