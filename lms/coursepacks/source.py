"""Reading and validating course packs. Pure functions: nothing here touches the
database, so `courses check` can run anywhere and sync validates before writing.

Each table is checked against its pydantic model (lms.coursepacks.contracts; an
[[activity]] against its type's `config_model`), then by its loader for what
spans keys or files. Every problem is reported as `PATH:FIELD: message`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lms.coursepacks.contracts import COMMON_ACTIVITY_KEYS, CourseFile, TableCheck, check_table
from lms.coursepacks.types import ACTIVITY_TYPES, ActivityType

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
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
    # What the type's extra files hold (ActivityType.files) when kept beside the
    # config, by key: another area keeps them (grading versions the rubric).
    files: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        payload = {"type": self.type, "title": self.title, "config": self.config, "body": self.body}
        return _hash(payload)

    def file_hash(self, key: str) -> str | None:
        """The digest of an extra file's content, to tell whether it changed."""
        return _hash(self.files[key]) if key in self.files else None

    def __getattr__(self, name: str) -> Any:
        # `loaded.rubric` and `loaded.rubric_hash`: an extra file and its digest by
        # the file's key, as readers written before `files` ask for them (grading's
        # rubric versions). Only called for names that are not attributes.
        files = self.__dict__.get("files", {})
        if name in files:
            return files[name]
        if name.endswith("_hash") and name.removesuffix("_hash") in files:
            return self.file_hash(name.removesuffix("_hash"))
        raise AttributeError(name)


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

    def read_text(self, rel: Any, owner: str, field_name: str) -> str | None:
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

    def read_markdown(self, rel: Any, owner_field: str) -> str | None:
        """A Markdown file named in course.toml, its links checked. A missing or
        malformed path is reported again here, as the validator always did."""
        text = self.read_text(rel, "course.toml", owner_field)
        if text is not None:
            self.check_markdown_links(rel, text)
        return text

    def check(
        self,
        model: type[BaseModel],
        table: dict[str, Any],
        rel: str,
        prefix: str,
        *,
        skip: Collection[str] = (),
        held: Collection[str] = (),
    ) -> TableCheck:
        """Check a table against its model and report what does not fit; `held`
        keys are reported by the caller (`report_held`), after its own checks."""
        result = check_table(model, table, skip=skip)
        for key, message in result.problems(held=held):
            self.problem(rel, f"{prefix}{key}" if key else prefix.rstrip("."), message)
        return result

    def report_held(self, result: TableCheck, key: str, rel: str, prefix: str) -> bool:
        """Report a held key's problem; whether there was one."""
        if key not in result.invalid:
            return False
        self.problem(rel, f"{prefix}{key}", result.invalid[key])
        return True

    def tables(self, data: dict[str, Any], name: str, rel: str) -> list[tuple[str, dict[str, Any]]]:
        """The `[[name]]` tables of a file as (field prefix, table) pairs; an
        empty or missing array is a problem, and so is an entry that is no table."""
        raw = data.get(name)
        if not isinstance(raw, list) or not raw:
            self.problem(rel, name, f"at least one [[{name}]] is required")
            return []
        tables = []
        for index, table in enumerate(raw, start=1):
            if isinstance(table, dict):
                tables.append((f"{name}[{index}].", table))
            else:
                self.problem(rel, f"{name}[{index}]", "must be a table")
        return tables

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


# -- checks shared by the pack files ----------------------------------------


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
    good = source.check(CourseFile, data, "course.toml", "", skip={"activity"}).good
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
        good = source.check(atype.config_model, raw, "course.toml", prefix).good
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
        _load_files(atype, loaded, source, prefix)
        if len(source.problems) == before:
            activities.append(loaded)
    return activities


def _load_files(atype: ActivityType, loaded: LoadedActivity, source: PackSource, prefix: str) -> None:
    """The extra files the type declares (a rubric, a quiz's questions), after the
    type has checked its keys."""
    for key, spec in atype.files.items():
        rel = loaded.config.get(key)
        if not isinstance(rel, str) or not rel:
            continue  # missing or not a path: already reported with the keys
        content = spec.load(source, rel, f"{prefix}{key}")
        if content is None:
            continue
        if spec.in_config:
            loaded.config[f"{key}_file"] = rel
            loaded.config[key] = content
        else:
            loaded.files[key] = content


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
