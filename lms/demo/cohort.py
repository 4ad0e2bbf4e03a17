"""`flask --app app demo`: the demo cohort of api.md, built through the services
so the demo shows what real use produces. Idempotent; refuses on a database with
real people unless --yes."""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, time, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from lms import uow
from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.activities import ACTIVITY_TYPES, DemoSeed
from lms.cohorts import services as cohorts
from lms.cohorts.models import Cohort
from lms.coursepacks.models import Activity, Course
from lms.demo.data import FIRST_NAMES, LAST_NAMES, PROVINCES, TYPE_COUNTS, VILLAGES, WIT, WITA
from lms.demo.libraries import add_library_demo
from lms.extensions import db

COHORT_NAME = "Penguatan Fasilitator 2019"
PASSWORD = "lentera-demo"
START, END = date(2019, 10, 28), date(2019, 10, 31)
MILESTONE = ("Peer Learning Meeting Nasional", date(2019, 12, 3))


def _tz(province: str) -> str:
    return "Asia/Makassar" if province in WITA else "Asia/Jayapura" if province in WIT else "Asia/Jakarta"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@click.command("demo")
@click.option("--yes", is_flag=True, help="Add the demo even though real people exist.")
@with_appcontext
@uow.command
def demo_command(yes: bool) -> None:
    """Build the demo cohort of 210 participants (idempotent)."""
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.name == COHORT_NAME)):
        click.echo("The demo cohort is already there; nothing changed.")
        return
    real = db.session.scalar(sa.select(sa.func.count()).select_from(User).where(User.is_demo.is_(False)))
    if real and not yes:
        click.echo(f"This database holds {real} real people. Run with --yes to add the demo anyway.", err=True)
        sys.exit(1)
    courses = list(db.session.scalars(sa.select(Course).where(Course.archived.is_(False)).order_by(Course.order)))
    if not courses:
        click.echo("No course packs are synced: run `flask --app app courses sync` first.", err=True)
        sys.exit(1)
    summary = build_demo(courses)
    click.echo(summary)


def build_demo(courses: list[Course], participants: int = 210, seed: int = 2019) -> str:
    rng = random.Random(seed)
    cohort = cohorts.create_cohort(
        name=COHORT_NAME,
        start_date=START,
        end_date=END,
        timezone="Asia/Jakarta",
        milestone_title=MILESTONE[0],
        milestone_date=MILESTONE[1],
        courses=courses,
        organisation="Perpustakaan Nasional Republik Indonesia",
        is_demo=True,
        signatories=[
            {"name": "Ratna Anggraini", "title": "Ketua Panitia"},
            {"name": "Hendra Kurniawan", "title": "Pelatih"},
        ],
    )
    staff = _staff()
    trainees = _participants(rng, participants)
    cohorts.enrol(cohort, trainees, "trainee")
    cohorts.enrol(cohort, [u for u in staff if u.role == "trainer"], "trainer")
    _progress(rng, trainees, courses, staff[1])

    add_library_demo(trainees, MILESTONE[1])
    return (
        f"Demo cohort {COHORT_NAME!r}: {len(trainees)} participants, {len(staff)} staff. "
        f"Sign in with trainee@example.org, trainer@example.org or organizer@example.org "
        f"and the password {PASSWORD}."
    )


_HASH: dict[str, str] = {}


def _person(name: str, email: str, role: str, **extra) -> User:
    # One hash for all demo people: hashing 214 passwords would take most of a minute.
    user = accounts.create_user(name=name, email=email, role=role, is_demo=True, **extra)
    if "hash" not in _HASH:
        user.set_password(PASSWORD)
        _HASH["hash"] = user.password_hash or ""
    user.password_hash = _HASH["hash"]
    return user


def _staff() -> list[User]:
    return [
        _person("Ratna Anggraini", "organizer@example.org", "organizer"),
        _person("Hendra Kurniawan", "trainer@example.org", "trainer"),
        _person("Maria Pattiasina", "trainer2@example.org", "trainer", timezone="Asia/Jayapura"),
        _person("Syamsul Baso", "trainer3@example.org", "trainer", timezone="Asia/Makassar"),
    ]


def _participants(rng: random.Random, count: int) -> list[User]:
    macakka = accounts.find_or_create_library(
        "Perpustakaan Macakka", village="Tellulimpoe", regency="Soppeng", province="Sulawesi Selatan"
    )
    people = [
        _person(
            "Andi Nurhayati",
            "trainee@example.org",
            "trainee",
            participant_type="village_library_manager",
            library=macakka,
            timezone="Asia/Makassar",
        )
    ]
    types = [t for t, n in TYPE_COUNTS.items() for _ in range(n)]
    types.remove("village_library_manager")
    provinces = list(PROVINCES)
    for index, ptype in enumerate(types[: count - 1], start=1):
        province = provinces[index % len(provinces)]
        regency = rng.choice(PROVINCES[province])
        if ptype == "village_library_manager":
            village = rng.choice(VILLAGES)
            library = accounts.find_or_create_library(
                f"Perpustakaan Desa {village}", village=village, regency=regency, province=province
            )
        elif ptype.startswith("provincial"):
            library = accounts.find_or_create_library(
                f"Dinas Perpustakaan Provinsi {province}", regency="", province=province, kind="province"
            )
        else:
            library = accounts.find_or_create_library(
                f"Dinas Perpustakaan Kabupaten {regency}", regency=regency, province=province, kind="regency"
            )
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        people.append(
            _person(
                name,
                f"peserta{index:03d}@example.org",
                "trainee",
                participant_type=ptype,
                library=library,
                timezone=_tz(province),
            )
        )
    return people


def _progress(rng: random.Random, trainees: list[User], courses: list[Course], trainer: User) -> None:
    """Uneven progress: most people far along, some behind, a few not started."""
    for person in trainees:
        share = 0.55 if person.email == "trainee@example.org" else rng.choice([1, 1, 1, 0.9, 0.8, 0.6, 0.3, 0])
        # Most who go all the way pass everything: the dashboard has people ready for the milestone.
        diligent = share == 1 and rng.random() < 0.9
        for course in courses:
            activities = course.current_activities
            stop = round(len(activities) * share)
            for activity in activities[:stop]:
                _do(rng, person, activity, trainer, diligent)


def _do(rng: random.Random, person: User, activity: Activity, trainer: User, diligent: bool = False) -> None:
    day = START + timedelta(days=rng.randint(0, 20))
    atype = ACTIVITY_TYPES.get(activity.type)
    if atype is not None:  # a type uninstalled since the sync has nothing to show
        atype.seed_demo(activity, person, DemoSeed(rng=rng, when=_at(day), grader=trainer, diligent=diligent))
