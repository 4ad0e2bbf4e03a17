"""`flask --app app courses check [PATH ...]` and `flask --app app courses sync`."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from lms.coursepacks.services import check_packs
from lms.coursepacks.sync import sync_packs
from lms.extensions import db

courses_cli = AppGroup("courses", help="Check and sync course packs.")


def _paths(paths: tuple[str, ...]) -> list[Path] | None:
    from lms.coursepacks.source import discover

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
def sync_command() -> None:
    """Load every pack into the database, in one transaction."""
    packs, problems = check_packs()
    if problems:
        for problem in problems:
            click.echo(str(problem))
        click.echo("Nothing was changed.")
        sys.exit(1)
    try:
        report = sync_packs(packs)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for line in report.lines():
        click.echo(line)
