"""`flask --app app courses check [PATH ...]` and `flask --app app courses sync`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from lms import uow
from lms.coursepacks.services import check_packs
from lms.coursepacks.source import discover
from lms.coursepacks.sync import sync_packs
from lms.markup import word_count

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


def courses_table(packs) -> str:
    lines = [
        "| # | Module (slug) | JP | Lessons (words) | Quizzes (questions) "
        "| Assignments: rubric criteria (max points) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for pack in sorted(packs, key=lambda p: p.order):
        lessons = [f"{a.title} ({word_count(a.body)})" for a in pack.activities if a.type == "lesson"]
        quizzes = [f"{a.config['kind']} ({len(a.config['questions'])})" for a in pack.activities if a.type == "quiz"]
        tasks = []
        for a in pack.activities:
            if a.type == "assignment":
                criteria = ", ".join(f"{c['id']} ({c['levels'][-1]['points']:g})" for c in a.rubric["criteria"])
                tasks.append(f"**{a.title}** /{a.config['max_score']:g}, pass {a.config['pass_score']:g}: {criteria}")
        lines.append(
            f"| {pack.order} | {pack.title} (`{pack.slug}`) | {pack.hours} | {'<br>'.join(lessons)} | "
            f"{'<br>'.join(quizzes)} | {'<br>'.join(tasks)} |"
        )
    return "\n".join(lines)
