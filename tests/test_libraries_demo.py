"""The demo's activity documentation: alive on the first run (the feed, the
leaderboard with Macakka in its top 10, lights of every colour)."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from lms.accounts.models import Library, User
from lms.extensions import db
from lms.libraries import mentoring, photos, ranking
from lms.libraries.models import MentoringNote, Post, PostPhoto
from tests.conftest import login


def test_the_demo_documents_a_year_of_uneven_activity(app, runner, real_courses, client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output

    period = ranking.parse_period(None, None)
    assert (period.since.isoformat(), period.until.isoformat()) == ("2019-10-28", "2019-12-03")
    board = ranking.leaderboard(period)
    macakka = next(r for r in board if r.library == "Perpustakaan Macakka")
    assert macakka.rank <= 10 and macakka.regency == "Soppeng" and macakka.village == "Tellulimpoe"
    assert len({r.posts for r in board}) >= 5  # uneven

    posts = db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(Post.status == "published"))
    assert 1500 < posts < 5000
    months = {p.activity_date.replace(day=1) for p in db.session.scalars(sa.select(Post))}
    assert len(months) == 13
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post).where(Post.status == "draft")) > 0
    photo = db.session.scalar(sa.select(PostPhoto).limit(1))
    assert photos.path_of(photo.stored_name).exists() and photos.path_of(photo.thumb_name).exists()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MentoringNote)) > 10

    villages = list(db.session.scalars(sa.select(Library).where(Library.kind == "village")))
    month = mentoring.reference_month(period=period)
    lights = Counter(row.current.light for row in mentoring.lights_for(villages, month))
    assert month.isoformat() == "2019-11-01" and all(lights[c] >= 10 for c in ("green", "yellow", "red")), lights

    login(client, "trainee@example.org", "lentera-demo")
    trainee = db.session.scalar(sa.select(User).where(User.email == "trainee@example.org"))
    assert trainee.library.name == "Perpustakaan Macakka"
    page = client.get("/libraries/").get_data(as_text=True)
    assert page.count('class="card post-card"') == 20
    assert "Perpustakaan Macakka" in client.get("/libraries/leaderboard").get_data(as_text=True)
    assert client.get(f"/libraries/photos/{photo.id}").status_code == 200
    library_page = client.get(f"/libraries/{trainee.library_id}").get_data(as_text=True)
    assert 'id="drafts"' in library_page
