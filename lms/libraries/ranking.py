"""Which posts count, the leaderboard, and monthly counts per library.

A post counts when it is published and not deleted, has a title, a date inside
the period and not in the future, and at least one photo or a story of
STORY_MIN_CHARS characters. The same library, date and title count once.
Everything here runs a fixed number of queries, whatever the number of libraries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import gettext as _

from lms.accounts.models import Library
from lms.cohorts.models import Cohort
from lms.errors import BadRequest, Invalid
from lms.extensions import db, utcnow
from lms.libraries.models import STORY_MIN_CHARS, Post, PostPhoto

TOP = 10
# Indonesia's easternmost zone (WIT, UTC+9, no daylight saving): a date that is
# already today anywhere in the country is not "in the future".
WIT = timezone(timedelta(hours=9))


def today() -> date:
    return utcnow().astimezone(WIT).date()


@dataclass(frozen=True)
class Period:
    since: date
    until: date
    cohort: str | None = None  # the cohort the default period comes from


def current_cohort_period() -> Period | None:
    """The newest (latest start date) cohort that is not archived, from its start
    to its end or its milestone, whichever is later."""

    cohort = db.session.scalar(
        sa.select(Cohort)
        .where(Cohort.archived.is_(False))
        .order_by(Cohort.start_date.desc(), Cohort.id.desc())
        .limit(1)
    )
    if cohort is None:
        return None
    until = max(cohort.end_date, cohort.milestone_date or cohort.end_date)
    return Period(cohort.start_date, until, cohort.name)


def _parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadRequest(_("%(field)s must be a date like 2019-10-28.", field=field), {"field": field}) from None


def parse_period(since: str | None, until: str | None, now: date | None = None) -> Period:
    """Both missing: the current cohort's period (or this year so far, without
    a cohort). Only `since`: from it to today. Only `until`: from 1 January of its year."""
    now = now or today()
    if not since and not until:
        return current_cohort_period() or Period(date(now.year, 1, 1), now)
    end = _parse_date(until, "until") if until else now
    start = _parse_date(since, "since") if since else date(end.year, 1, 1)
    if start > end:
        raise Invalid(_("The start of the period comes after its end."), {"field": "since"})
    return Period(start, end)


def counted_posts(
    since: date, until: date, now: date | None = None, libraries: sa.Select | list[int] | None = None
) -> sa.Subquery:
    """(library_id, activity_date, title_key) of the posts that count, once each
    (of some libraries only, given their ids or a select of them)."""
    now = now or today()
    has_photo = sa.exists().where(PostPhoto.post_id == Post.id)
    # The dates are written into the statement: PostgreSQL then plans for the
    # real period, also once the driver prepares the statement (a generic plan
    # guesses a short period and scans every post of a long one row by row).
    first = sa.bindparam("counted_since", since, type_=sa.Date, literal_execute=True)
    last = sa.bindparam("counted_until", min(until, now), type_=sa.Date, literal_execute=True)
    query = sa.select(Post.library_id, Post.activity_date, Post.title_key).where(
        Post.status == "published",
        Post.deleted_at.is_(None),
        Post.title_key != "",
        Post.activity_date >= first,
        Post.activity_date <= last,
        sa.or_(Post.story_chars >= STORY_MIN_CHARS, has_photo),
    )
    if libraries is not None:
        query = query.where(Post.library_id.in_(libraries))
    return query.distinct().subquery("counted")


@dataclass
class Rank:
    rank: int
    library_id: int
    library: str
    village: str
    regency: str
    province: str
    posts: int

    @property
    def top(self) -> bool:
        return self.rank <= TOP

    def as_json(self) -> dict:
        return {
            "rank": self.rank,
            "library": self.library,
            "library_id": self.library_id,
            "village": self.village,
            "regency": self.regency,
            "province": self.province,
            "posts": self.posts,
        }


def leaderboard(period: Period, province: str | None = None, now: date | None = None) -> list[Rank]:
    """Libraries with at least one counted post, most first. Equal counts share a
    rank and the next rank skips (1, 2, 2, 4). With a province, the ranks are
    within that province. One query."""
    in_province = sa.select(Library.id).where(Library.province == province) if province else None
    counted = counted_posts(period.since, period.until, now, in_province)
    posts = sa.func.count().label("posts")
    query = (
        sa.select(Library.id, Library.name, Library.village, Library.regency, Library.province, posts)
        .select_from(counted)
        .join(Library, Library.id == counted.c.library_id)
        .group_by(Library.id, Library.name, Library.village, Library.regency, Library.province)
        .order_by(posts.desc(), Library.name, Library.id)
    )
    ranks: list[Rank] = []
    for position, row in enumerate(db.session.execute(query), start=1):
        rank = ranks[-1].rank if ranks and ranks[-1].posts == row.posts else position
        ranks.append(Rank(rank, row.id, row.name, row.village, row.regency, row.province, row.posts))
    return ranks


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return add_months(first, 1) - timedelta(days=1)


def monthly_counts(
    first_month: date, last_month: date, library_ids: sa.Select | list[int] | None = None, now: date | None = None
) -> dict[tuple[int, date], int]:
    """{(library_id, first day of month): counted posts} from first_month to last_month. One query."""
    counted = counted_posts(first_month, month_end(last_month), now, library_ids)
    year = sa.extract("year", counted.c.activity_date)
    month = sa.extract("month", counted.c.activity_date)
    query = sa.select(counted.c.library_id, year.label("y"), month.label("m"), sa.func.count().label("n")).group_by(
        counted.c.library_id, year, month
    )
    return {(row.library_id, date(int(row.y), int(row.m), 1)): row.n for row in db.session.execute(query)}


def parse_month(value: str | None) -> date | None:
    """'2019-10' to date(2019, 10, 1); None when empty; BadRequest when malformed."""
    if not value:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m").date()
    except ValueError:
        raise BadRequest(_("The month must look like 2019-10."), {"field": "month"}) from None
