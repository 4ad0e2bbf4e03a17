"""The leaderboard: which posts count, ties, the period and its edges, the
province filter, duplicates, future dates, drafts and deleted posts."""

from __future__ import annotations

from datetime import date

import pytest

from lms.errors import BadRequest, Invalid
from lms.extensions import db
from lms.libraries import ranking
from lms.libraries.models import Post
from tests.test_libraries_helpers import LONG_STORY, add_post, make_library, people  # noqa: F401

OCTOBER = ranking.Period(date(2019, 10, 1), date(2019, 10, 31))
LATER = date(2019, 11, 15)


def board(period=OCTOBER, province=None, now=LATER):
    return [(r.rank, r.library, r.posts) for r in ranking.leaderboard(period, province, now)]


def test_equal_counts_share_a_rank_and_the_next_rank_skips(app, make_user):
    counts = {"A": 3, "B": 2, "C": 2, "D": 1, "E": 0}
    for name, n in counts.items():
        author = make_user(library=make_library(f"Perpustakaan {name}"))
        for day in range(n):
            add_post(author, f"Kegiatan {day}", date(2019, 10, 1 + day))
    assert board() == [
        (1, "Perpustakaan A", 3),
        (2, "Perpustakaan B", 2),
        (2, "Perpustakaan C", 2),
        (4, "Perpustakaan D", 1),
    ]
    top = ranking.leaderboard(OCTOBER, now=LATER)
    assert all(r.top for r in top)


def test_the_period_includes_both_edges_and_nothing_outside(app, make_user):
    author = make_user()
    for day in (date(2019, 9, 30), date(2019, 10, 1), date(2019, 10, 31), date(2019, 11, 1)):
        add_post(author, f"Kegiatan {day}", day)
    assert [r.posts for r in ranking.leaderboard(OCTOBER, now=LATER)] == [2]
    one_day = ranking.Period(date(2019, 10, 31), date(2019, 10, 31))
    assert [r.posts for r in ranking.leaderboard(one_day, now=LATER)] == [1]


def test_province_filter_ranks_within_the_province(app, make_user):
    lampung = make_user(
        library=make_library("Perpustakaan Desa Purworejo", regency="Lampung Tengah", province="Lampung")
    )
    soppeng = make_user(library=make_library("Perpustakaan Macakka"))
    for day in range(1, 4):
        add_post(lampung, f"Kegiatan {day}", date(2019, 10, day))
    add_post(soppeng, "Kegiatan", date(2019, 10, 5))
    assert board() == [(1, "Perpustakaan Desa Purworejo", 3), (2, "Perpustakaan Macakka", 1)]
    assert board(province="Sulawesi Selatan") == [(1, "Perpustakaan Macakka", 1)]
    assert board(province="Papua") == []


def test_the_same_library_date_and_title_count_once(app, people):
    andi, siti, budi = people["andi"], people["siti"], people["budi"]
    add_post(andi, "Kelas membaca nyaring", date(2019, 10, 10))
    add_post(siti, "  kelas MEMBACA   nyaring ", date(2019, 10, 10))  # a colleague posts it again
    add_post(andi, "Kelas membaca nyaring", date(2019, 10, 11))  # another day: another activity
    add_post(andi, "Pelatihan menjahit", date(2019, 10, 10))  # another title: another activity
    add_post(budi, "Kelas membaca nyaring", date(2019, 10, 10))  # another library
    assert board() == [(1, "Perpustakaan Macakka", 3), (2, "Perpustakaan Desa Sukamaju", 1)]


def test_future_dates_do_not_count_until_they_have_happened(app, make_user):
    author = make_user()
    add_post(author, "Sudah terjadi", date(2019, 10, 20))
    add_post(author, "Belum terjadi", date(2019, 10, 25))
    assert [r.posts for r in ranking.leaderboard(OCTOBER, now=date(2019, 10, 22))] == [1]
    assert [r.posts for r in ranking.leaderboard(OCTOBER, now=date(2019, 10, 25))] == [2]


def test_future_dates_relative_to_the_real_today(app, make_user):
    author = make_user()
    today = ranking.today()
    add_post(author, "Hari ini", today)
    add_post(author, "Besok", date.fromordinal(today.toordinal() + 1))
    period = ranking.Period(date.fromordinal(today.toordinal() - 5), date.fromordinal(today.toordinal() + 5))
    assert [r.posts for r in ranking.leaderboard(period)] == [1]


def test_drafts_and_deleted_posts_never_count(app, people):
    andi = people["andi"]
    add_post(andi, "Draf", date(2019, 10, 3), publish=False)
    add_post(andi, "Dihapus", date(2019, 10, 4), deleted_by=andi)
    assert board() == []
    add_post(andi, "Terbit", date(2019, 10, 5))
    assert board() == [(1, "Perpustakaan Macakka", 1)]


def test_a_post_needs_a_title_and_a_photo_or_a_story_of_100_characters(app, make_user):
    author = make_user()
    add_post(author, "Cerita pendek tanpa foto", date(2019, 10, 1), story="x" * 99)
    assert board() == []
    add_post(author, "Cerita pendek dengan foto", date(2019, 10, 2), story="Singkat.", photo=True)
    add_post(author, "Cerita 100 huruf", date(2019, 10, 3), story="x" * 100)
    untitled = add_post(author, "Tanpa judul", date(2019, 10, 4))
    # The form refuses to publish without a title; the rule holds for rows written any other way.
    untitled.title = untitled.title_key = ""
    db.session.commit()
    assert [r.posts for r in ranking.leaderboard(OCTOBER, now=LATER)] == [2]
    assert Post.query.count() == 4


def test_the_default_period_is_the_newest_cohort_that_is_not_archived(app, make_cohort, toy_course):
    assert ranking.parse_period(None, None, now=date(2026, 3, 4)) == ranking.Period(date(2026, 1, 1), date(2026, 3, 4))
    make_cohort([toy_course], name="Lama", start=date(2019, 5, 1), milestone=date(2019, 6, 1))
    make_cohort([toy_course], name="Baru", start=date(2019, 10, 28), milestone=date(2019, 12, 3))
    newer = make_cohort([toy_course], name="Diarsip", start=date(2019, 10, 29), milestone=None)
    newer.archived = True
    db.session.commit()
    assert ranking.parse_period(None, None) == ranking.Period(date(2019, 10, 28), date(2019, 12, 3), "Baru")


def test_period_parameters(app):
    now = date(2019, 11, 20)
    assert ranking.parse_period("2019-10-01", None, now) == ranking.Period(date(2019, 10, 1), now)
    assert ranking.parse_period(None, "2019-06-30", now) == ranking.Period(date(2019, 1, 1), date(2019, 6, 30))
    with pytest.raises(BadRequest):
        ranking.parse_period("1 Oktober", None, now)
    with pytest.raises(Invalid):
        ranking.parse_period("2019-10-02", "2019-10-01", now)


def test_leaderboard_page_shows_the_ranks_and_highlights_the_top_10(client, make_user):
    from tests.conftest import login

    authors = [make_user(library=make_library(f"Perpustakaan {i:02d}")) for i in range(12)]
    for index, author in enumerate(authors):
        for n in range(12 - index if index != 11 else 1):
            add_post(author, f"Kegiatan {n}", date(2019, 10, 1 + n))
    login(client, authors[0])
    page = client.get("/libraries/leaderboard?since=2019-10-01&until=2019-10-31").get_data(as_text=True)
    assert page.count('class="top"') == 10
    assert "Perpustakaan 00" in page and "Perpustakaan 11" in page
    assert client.get("/libraries/leaderboard?since=oktober").status_code == 400
