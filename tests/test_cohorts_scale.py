"""The dashboard, the at-risk list, the exports and the API cost the same number
of SQL queries for 10 participants as for 1,000 (bulk-inserted)."""

from __future__ import annotations

from bench.generate import populate
from lms.extensions import db
from tests.conftest import count_queries, login
from tests.test_cohorts_dashboard import two_modules  # noqa: F401  (fixture)


def _cohort(make_cohort, courses, name, size, trainer):
    cohort = make_cohort(courses, trainers=[trainer], name=name)
    populate(cohort, size, prefix=name[-1])
    db.session.commit()
    return cohort


URLS = [
    "/cohorts/{id}/dashboard",
    "/cohorts/{id}/dashboard?status=incomplete&sort=score&desc=1&page=2",
    "/cohorts/{id}/at-risk?blocker=waiting_grade",
    "/cohorts/{id}/export/completion.csv",
    "/cohorts/{id}/export/completion.xlsx",
    "/cohorts/{id}/export/gradebook.csv",
    "/cohorts/{id}/export/gradebook.xlsx",
    "/cohorts/{id}/export/at-risk.csv",
    "/cohorts/{id}/export/at-risk.xlsx",
]


def test_query_counts_do_not_grow_with_the_cohort(
    client,
    two_modules,
    make_user,
    make_cohort,  # noqa: F811
    api_token,
):
    from lms.reports import completion

    organizer, trainer = make_user("organizer"), make_user("trainer")
    small = _cohort(make_cohort, two_modules, "Angkatan A", 10, trainer)
    large = _cohort(make_cohort, two_modules, "Angkatan B", 1000, trainer)
    headers = api_token(organizer)

    def service_queries(cohort):
        db.session.expire_all()
        with count_queries() as statements:
            result = completion.compute(cohort)
            result.as_json()
        return len(statements), result

    small_count, small_result = service_queries(small)
    large_count, large_result = service_queries(large)
    assert (small_result.total, large_result.total) == (10, 1000)
    assert large_result.completed > 0 and large_result.at_risk()
    assert small_count == large_count

    login(client, organizer)
    for url in URLS + ["/api/v1/cohorts/{id}/completion"]:
        counts = []
        for cohort in (small, large):
            target = url.format(id=cohort.id)
            extra = headers if target.startswith("/api/") else {}
            client.get(target, headers=extra)  # warm
            with count_queries() as statements:
                response = client.get(target, headers=extra)
            assert response.status_code == 200, target
            counts.append(len(statements))
        assert counts[0] == counts[1] > 3, (url, counts)


def test_a_trainer_scoped_dashboard_is_also_fixed(client, two_modules, make_user, make_cohort):  # noqa: F811
    from lms.cohorts import services

    trainer = make_user("trainer")
    counts = []
    for name, size in (("Angkatan C", 10), ("Angkatan D", 300)):
        cohort = _cohort(make_cohort, two_modules, name, size, trainer)
        services.assign_trainer(cohort, trainer, "group", "Kelas 1")
        db.session.commit()
        login(client, trainer)
        client.get(f"/cohorts/{cohort.id}/dashboard")
        with count_queries() as statements:
            assert client.get(f"/cohorts/{cohort.id}/dashboard").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
