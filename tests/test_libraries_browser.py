"""In a real browser: the post form reuses the draft script (lentera.js), so a
story being written is autosaved as a draft and survives a dropped connection;
the documentation pages fit a phone."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from lms.extensions import db
from lms.libraries.models import Post
from tests.test_browser import CHROMIUM, browser, live_server, sign_in, wait_for_status  # noqa: F401
from tests.test_libraries_helpers import add_post, people  # noqa: F401

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")


def stories() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(p.status, p.story) for p in db.session.scalars(sa.select(Post))]


def test_a_story_is_autosaved_as_a_draft_and_kept_offline(live_server, browser, people):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, people["andi"].email)
    page.goto(f"{live_server}/libraries/posts/new")
    page.fill("input[name=title]", "Kelas membaca nyaring")
    page.fill("textarea[name=text]", "Anak-anak datang pagi sekali.")
    wait_for_status(page, "Draft saved")
    assert stories() == [("draft", "Anak-anak datang pagi sekali.")]

    context.set_offline(True)
    page.fill("textarea[name=text]", "Anak-anak datang pagi sekali. Ditulis tanpa sinyal.")
    wait_for_status(page, "Offline")
    context.set_offline(False)
    wait_for_status(page, "Draft saved")
    assert stories() == [("draft", "Anak-anak datang pagi sekali. Ditulis tanpa sinyal.")]

    page.fill("input[name=activity_date]", "2019-10-10")
    page.select_option("select[name=kind]", "reading")
    page.click("button[value=publish]")
    page.wait_for_url(f"{live_server}/libraries/posts/*")
    assert stories() == [("published", "Anak-anak datang pagi sekali. Ditulis tanpa sinyal.")]
    context.close()


def test_documentation_pages_fit_a_phone(live_server, browser, people):
    post = add_post(people["andi"], "Pelatihan membuat keripik pisang dari hasil kebun warga desa", date(2019, 10, 3))
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, people["andi"].email)
    library = people["macakka"].id
    for path in (
        "/libraries/",
        "/libraries/leaderboard?since=2019-10-01&until=2019-10-31",
        f"/libraries/{library}",
        f"/libraries/posts/{post.id}",
        f"/libraries/posts/{post.id}/edit",
        "/libraries/posts/new",
        f"/libraries/{library}/mentoring",
    ):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)
    context.close()
