"""Benchmark: a cohort's completion dashboard and exports at 10,000 participants.

Builds a temporary SQLite database with the six programme modules and 10,000
participants with realistic progress rows (bench/generate.py), then times, over
several runs, the completion service, the dashboard and at-risk pages and the
exports through the Flask test client. Prints the median of each and the
number of SQL queries. Run: `make bench` or `.venv/bin/python bench/dashboard.py
[--participants N] [--runs R]`. Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", help="a scratch database URL (emptied first); default: a temporary SQLite file")
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="lentera-bench-")
    os.environ["LMS_INSTANCE_PATH"] = workdir
    import sqlalchemy as sa

    from lms import create_app
    from lms.extensions import db

    app = create_app(
        {
            "LMS_ENV": "testing",
            "TESTING": True,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": args.database or f"sqlite:///{workdir}/bench.sqlite3",
            "LMS_COURSE_PATHS": "",
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        from bench.generate import populate
        from lms.accounts import services as accounts
        from lms.cohorts import services as cohorts
        from lms.coursepacks.models import Course
        from lms.coursepacks.services import check_packs
        from lms.coursepacks.source import discover
        from lms.coursepacks.sync import sync_packs
        from lms.learning.models import Progress
        from lms.reports import completion

        packs, problems = check_packs(discover(ROOT / "courses", "", []))
        assert not problems, problems
        sync_packs(packs)
        courses = list(db.session.scalars(sa.select(Course).order_by(Course.order)))
        cohort = cohorts.create_cohort(
            name="Bench",
            start_date=date(2019, 10, 28),
            end_date=date(2019, 10, 31),
            milestone_title="Peer Learning Meeting Nasional",
            milestone_date=date(2019, 12, 3),
            courses=courses,
        )
        organizer = accounts.create_user(
            name="Panitia", email="panitia@bench.example.org", role="organizer", password="bench-password"
        )
        trainer = accounts.create_user(name="Pelatih", email="pelatih@bench.example.org", role="trainer")
        cohorts.enrol(cohort, [trainer], "trainer")
        started = time.perf_counter()
        populate(cohort, args.participants)
        db.session.commit()
        # Fresh statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE keeps
        # them on a live database; without them the planner picks nested loops.
        with db.engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))
        built = time.perf_counter() - started
        rows = db.session.scalar(sa.select(sa.func.count()).select_from(Progress))
        result = completion.compute(cohort)
        print(
            f"built {args.participants} participants, {rows} progress rows in {built:.1f} s; "
            f"{result.completed} complete, {len(result.at_risk())} at risk, backlog {result.grading_backlog}"
        )

        def timed(fn, runs=args.runs):
            times, queries = [], []
            for _ in range(runs):
                db.session.expire_all()
                statements = []

                def listener(*a, statements=statements, **k):
                    statements.append(1)

                sa.event.listen(db.engine, "before_cursor_execute", listener)
                begin = time.perf_counter()
                fn()
                times.append(time.perf_counter() - begin)
                sa.event.remove(db.engine, "before_cursor_execute", listener)
                queries.append(len(statements))
            return statistics.median(times), min(times), max(times), queries[-1]

        client = app.test_client()
        client.post("/login", data={"email": organizer.email, "password": "bench-password"})

        def page(url):
            def fetch():
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                response.get_data()

            return fetch

        cid = cohort.id
        cases = [
            ("completion.compute() (service)", lambda: completion.compute(cohort)),
            ("compute() + as_json() (API body)", lambda: completion.compute(cohort).as_json()),
            ("GET dashboard page", page(f"/cohorts/{cid}/dashboard")),
            (
                "GET dashboard, filtered + sorted, page 3",
                page(f"/cohorts/{cid}/dashboard?status=incomplete&sort=score&page=3"),
            ),
            ("GET at-risk page", page(f"/cohorts/{cid}/at-risk")),
            ("GET /api/v1/cohorts/{id}/completion", None),
            ("export completion CSV", page(f"/cohorts/{cid}/export/completion.csv")),
            ("export completion XLSX", page(f"/cohorts/{cid}/export/completion.xlsx")),
            ("export gradebook CSV", page(f"/cohorts/{cid}/export/gradebook.csv")),
            ("export gradebook XLSX", page(f"/cohorts/{cid}/export/gradebook.xlsx")),
            ("export at-risk CSV", page(f"/cohorts/{cid}/export/at-risk.csv")),
            ("export at-risk XLSX", page(f"/cohorts/{cid}/export/at-risk.xlsx")),
        ]
        _token, raw = accounts.create_api_token(organizer, "bench")
        db.session.commit()

        def api():
            response = client.get(f"/api/v1/cohorts/{cid}/completion", headers={"Authorization": f"Bearer {raw}"})
            assert response.status_code == 200
            response.get_data()

        print("\n| what | median s | min s | max s | SQL queries |\n| --- | --- | --- | --- | --- |")
        for label, fn in cases:
            fn = fn or api
            fn()  # warm
            median, low, high, queries = timed(fn)
            print(f"| {label} | {median:.3f} | {low:.3f} | {high:.3f} | {queries} |")

    print("\nmachine:", platform.python_version(), platform.platform())
    for command in (["nproc"], ["free", "-h"]):
        try:
            print(subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip())
        except OSError:
            pass


if __name__ == "__main__":
    main()
