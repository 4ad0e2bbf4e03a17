"""Benchmark of activity documentation: the leaderboard (page and API), the
organizers' traffic lights and the feed, as the number of libraries grows.

    .venv/bin/python bench/leaderboard.py                      # SQLite, 100/1000/5000 libraries
    .venv/bin/python bench/leaderboard.py --database postgresql+psycopg://postgres@127.0.0.1:5432/bench

Each library gets a year of posts (on average 2.5 a month, uneven), a third of
them with a photo row; everything is written with bulk inserts. The database
is emptied first: never point --database at real data. Prints a Markdown table
for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from lms import create_app  # noqa: E402
from lms.accounts.models import Library  # noqa: E402
from lms.extensions import db, utcnow  # noqa: E402
from lms.libraries.models import Post, PostPhoto  # noqa: E402

PASSWORD = "bench-password-1"
YEAR_START = date(2018, 12, 1)


def populate(count: int, start: int, rng: random.Random) -> int:
    """`count` more village libraries with a year of posts; returns the posts written."""
    now = utcnow()
    db.session.execute(
        sa.insert(Library),
        [
            {
                "name": f"Perpustakaan Desa B{n:05d}",
                "village": f"Desa {n}",
                "regency": f"Kabupaten {n % 400}",
                "province": f"Provinsi {n % 34}",
                "kind": "village",
                "created_at": now,
            }
            for n in range(start, start + count)
        ],
    )
    ids = list(db.session.scalars(sa.select(Library.id).order_by(Library.id.desc()).limit(count)))
    posts = []
    for library_id in ids:
        mean = rng.choice([0.3, 1.2, 2.6, 2.6, 4.2, 7.0])
        for _ in range(int(mean * 12 * rng.uniform(0.5, 1.5))):
            day = YEAR_START + timedelta(days=rng.randrange(365))
            title = rng.choice(["Kelas membaca", "Pelatihan keripik", "Musyawarah desa", "Lomba mewarnai"])
            story = "x" * 120 if rng.random() < 0.7 else "pendek"
            posts.append(
                {
                    "library_id": library_id,
                    "status": "published",
                    "title": title,
                    "title_key": title.lower(),
                    "activity_date": day,
                    "kind": "reading",
                    "story": story,
                    "story_chars": len(story),
                    "male": 5,
                    "female": 9,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    for chunk in range(0, len(posts), 5000):
        db.session.execute(sa.insert(Post), posts[chunk : chunk + 5000])
    with_photo = [
        pid for pid in db.session.scalars(sa.select(Post.id).where(Post.library_id.in_(ids))) if rng.random() < 0.33
    ]
    for chunk in range(0, len(with_photo), 5000):
        db.session.execute(
            sa.insert(PostPhoto),
            [
                {
                    "post_id": pid,
                    "stored_name": f"b{pid}.jpg",
                    "thumb_name": f"b{pid}-t.jpg",
                    "width": 1,
                    "height": 1,
                    "size": 1,
                    "created_at": now,
                }
                for pid in with_photo[chunk : chunk + 5000]
            ],
        )
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        # What autovacuum does soon after a large load; without it the planner
        # still believes the tables are empty.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("ANALYZE"))
    return len(posts)


def timed(client, url: str, headers=None, runs: int = 5) -> tuple[float, int]:
    """Median milliseconds and the number of SQL statements of one request."""
    statements: list[str] = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    times = []
    for run in range(runs):
        if run == 0:
            sa.event.listen(db.engine, "before_cursor_execute", listener)
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        times.append((time.perf_counter() - started) * 1000)
        if run == 0:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--keep", action="store_true", help="keep the data afterwards (to look at query plans)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lentera-bench-"))
    url = args.database or f"sqlite:///{workdir / 'bench.sqlite3'}"
    app = create_app(
        {
            "LMS_ENV": "testing",
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "LMS_UPLOAD_FOLDER": str(workdir / "uploads"),
        }
    )
    rng = random.Random(2019)
    rows = []
    with app.app_context():
        db.drop_all()
        db.create_all()
        from lms.accounts.services import create_api_token, create_user

        organizer = create_user(
            name="Bench", email="bench@example.org", role="organizer", password=PASSWORD, language="en"
        )
        _token, raw = create_api_token(organizer, "bench")
        db.session.commit()
        headers = {"Authorization": f"Bearer {raw}"}
        client = app.test_client()
        client.post("/login", data={"email": organizer.email, "password": PASSWORD})
        libraries = posts = 0
        year = "since=2018-12-01&until=2019-11-30"
        for size in (int(s) for s in args.sizes.split(",")):
            posts += populate(size - libraries, libraries, rng)
            libraries = size
            page = timed(client, f"/libraries/leaderboard?{year}")
            api = timed(client, f"/api/v1/libraries/leaderboard?{year}", headers)
            province = timed(client, f"/api/v1/libraries/leaderboard?{year}&province=Provinsi+7", headers)
            weeks = timed(client, "/api/v1/libraries/leaderboard?since=2019-10-28&until=2019-12-03", headers)
            lights = timed(client, "/libraries/mentoring?month=2019-11", runs=3)
            feed = timed(client, "/libraries/?province=Provinsi+7&month=2019-10")
            rows.append((size, posts, page, api, province, weeks, lights, feed))
        db.session.remove()
        if not args.keep:
            db.drop_all()
    dialect = url.split(":", 1)[0].split("+")[0]
    print(f"\n{dialect}: median ms (SQL statements) per request\n")
    print(
        "| libraries | posts in a year | leaderboard page, a year | API, a year | API, a year, one province "
        "| API, five weeks | lights of all libraries | feed, filtered |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for size, count, *cells in rows:
        print(f"| {size} | {count} | " + " | ".join(f"{ms:.0f} ({queries})" for ms, queries in cells) + " |")


if __name__ == "__main__":
    main()
