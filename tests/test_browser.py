"""In a real browser (headless Chromium): the draft script keeps what a trainee
types through a dropped connection and a reload, and the pages fit a phone."""

from __future__ import annotations

import shutil
import threading
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from lms.extensions import db
from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine (apt-get install chromium)")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_server(app):
    app.config["LMS_AUTOSAVE_SECONDS"] = 1
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def trainee(make_user, toy_course, make_cohort):
    user = make_user()
    make_cohort([toy_course], [user], start=date.today())
    return user


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def wait_for_status(page, word, seconds=10.0):
    """Poll the draft status line (the page's CSP forbids evaluated scripts)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if word in (page.text_content("[data-draft-status]") or ""):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"status never said {word!r}: {page.text_content('[data-draft-status]')!r}")


def server_draft(user, activity_slug="story"):
    from lms.coursepacks.models import Activity
    from lms.grading.models import Draft

    db.session.expire_all()
    return db.session.scalar(
        sa.select(Draft.text)
        .join(Activity, Activity.id == Draft.activity_id)
        .where(Draft.user_id == user.id, Activity.slug == activity_slug)
    )


def test_typed_text_survives_autosave_offline_and_reload(live_server, browser, trainee):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, trainee.email)
    url = f"{live_server}/courses/toy-writing/story"
    page.goto(url)
    page.fill("textarea[name=text]", "Paragraf pertama berita.")
    wait_for_status(page, "Draf tersimpan")
    assert server_draft(trainee) == "Paragraf pertama berita."

    context.set_offline(True)
    page.fill("textarea[name=text]", "Paragraf pertama berita. Paragraf kedua, ditulis tanpa sinyal.")
    wait_for_status(page, "koneksi")
    assert server_draft(trainee) == "Paragraf pertama berita."  # the server never got it
    page.close()
    context.set_offline(False)

    again = context.new_page()
    again.goto(url)
    wait_for_status(again, "dipulihkan")  # restored from the browser's storage
    assert again.input_value("textarea[name=text]") == "Paragraf pertama berita. Paragraf kedua, ditulis tanpa sinyal."
    wait_for_status(again, "Draf tersimpan")
    assert server_draft(trainee) == "Paragraf pertama berita. Paragraf kedua, ditulis tanpa sinyal."
    context.close()


def test_double_click_on_submit_makes_one_attempt(live_server, browser, trainee):
    from lms.grading.models import Submission

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/courses/toy-writing/story")
    page.fill("textarea[name=text]", "Berita kegiatan membaca bersama.")
    page.dblclick("button[value=submit]")
    page.wait_for_load_state("networkidle")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Submission)) == 1
    context.close()


def test_pages_fit_a_phone(live_server, browser, trainee):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, trainee.email)
    for path in (
        "/",
        "/courses/toy-writing",
        "/courses/toy-writing/intro",
        "/courses/toy-writing/story",
        "/courses/toy-writing/post-test",
        "/profile",
    ):
        page.goto(live_server + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "Array.from(document.querySelectorAll('*'))"
            ".filter(e => e.getBoundingClientRect().right > 361)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
        )
        assert width <= 360, (path, width, wide)
    context.close()


def test_quiz_shows_one_question_at_a_time_on_a_phone(live_server, browser, trainee):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/courses/toy-writing/post-test")
    assert page.locator(".question:visible").count() == 1
    page.click("form[data-quiz] .actions button:has-text('›')")
    assert page.locator(".question:visible").count() == 1
    assert page.locator("#q-many").is_visible()
    context.close()
    wide = browser.new_context(viewport={"width": 1280, "height": 900})
    page = wide.new_page()
    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/courses/toy-writing/post-test")
    assert page.locator(".question:visible").count() == 2
    wide.close()


def test_grading_with_keys_shows_the_total_live(live_server, browser, trainee, make_user, make_cohort):
    from lms.cohorts.models import Cohort
    from lms.cohorts.services import enrol
    from lms.coursepacks.models import Activity
    from lms.grading import submissions

    trainer = make_user("trainer")
    enrol(db.session.scalar(sa.select(Cohort)), [trainer], "trainer")
    story = db.session.scalar(sa.select(Activity).where(Activity.slug == "story"))
    submission = submissions.submit(trainee, story, "Berita.")
    db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, trainer.email)
    page.goto(f"{live_server}/grading/submissions/{submission.id}")
    assert page.text_content("[data-total]").strip() == "–"
    for key in "34322":  # levels: judul 2, struktur 3, bahasa 2, ejaan 1, foto 1 → 9 of 10 points
        page.keyboard.press(key)
    assert page.text_content("[data-total]").strip() == "9"
    page.click("button[value=release]")
    page.wait_for_load_state("networkidle")
    db.session.expire_all()
    from lms.grading.models import Submission

    assert db.session.get(Submission, submission.id).grade.score == 9.0
    context.close()
