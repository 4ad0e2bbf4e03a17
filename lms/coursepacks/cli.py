"""`flask --app app courses check [PATH ...]` and `flask --app app courses sync`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from lms import uow
from lms.coursepacks.services import check_packs
from lms.coursepacks.source import LoadedActivity, LoadedPack, discover
from lms.coursepacks.sync import sync_packs
from lms.coursepacks.types import ACTIVITY_TYPES

courses_cli = AppGroup("courses", help="Check and sync course packs.")


def _paths(paths: tuple[str, ...]) -> list[Path] | None:
    if not paths:
        return None
    found: list[Path] = []
    for item in paths:
        found.extend(discover(Path(item), "", []) or [Path(item)])
    return found


@courses_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
def check_command(paths: tuple[str, ...]) -> None:
    """Validate packs; write nothing. Exit 1 with one line per problem."""
    packs, problems = check_packs(_paths(paths))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        sys.exit(1)
    click.echo(f"{len(packs)} course pack(s) valid: {', '.join(p.slug for p in packs)}")


@courses_cli.command("sync")
@uow.command
def sync_command() -> None:
    """Load every pack into the database, in one transaction."""
    packs, problems = check_packs()
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo("Nothing was changed.")
        sys.exit(1)
    report = sync_packs(packs)
    for line in report.lines():
        click.echo(line)


@courses_cli.command("table")
def table_command() -> None:
    """Print a Markdown table of the packs (for docs/courses.md)."""
    packs, problems = check_packs()
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        sys.exit(1)
    click.echo(courses_table(packs))


def courses_table(packs: list[LoadedPack]) -> str:
    """One row per pack; a column per activity type that names one (table_column),
    in the order the types were registered: the built-ins first, then plugins."""
    columns = [atype for atype in ACTIVITY_TYPES.values() if atype.table_column]
    lines = [
        "| # | Module (slug) | JP | " + " | ".join(atype.table_column for atype in columns) + " |",
        "| --- | --- | --- | " + " | ".join("---" for _ in columns) + " |",
    ]
    for pack in sorted(packs, key=lambda p: p.order):
        by_type: dict[str, list[LoadedActivity]] = {}
        for activity in pack.activities:
            by_type.setdefault(activity.type, []).append(activity)
        cells = ["<br>".join(atype.table_entry(a) for a in by_type.get(atype.name, [])) for atype in columns]
        lines.append(f"| {pack.order} | {pack.title} (`{pack.slug}`) | {pack.hours} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
