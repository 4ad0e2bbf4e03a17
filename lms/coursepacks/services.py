"""What the rest of the app asks about course packs."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from lms.coursepacks.source import LoadedPack, Problem, discover, entry_point_paths, load_packs


def builtin_courses_folder() -> Path:
    return Path(current_app.root_path).parent / "courses"


def configured_pack_paths() -> list[Path]:
    return discover(builtin_courses_folder(), current_app.config["LMS_COURSE_PATHS"], entry_point_paths())


def check_packs(paths: list[Path] | None = None) -> tuple[list[LoadedPack], list[Problem]]:
    return load_packs(paths if paths is not None else configured_pack_paths())
