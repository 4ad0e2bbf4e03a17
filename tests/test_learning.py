"""Trainee pages, progress, lesson rendering and the sanitiser, security headers."""

from __future__ import annotations

import pytest

from lms.markup import render_markdown
from tests.conftest import count_queries, login

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="javascript&#58;alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<object data="x.swf"></object>',
    "<body onload=alert(1)>",
    '<form action="https://evil.example"><input name=x></form>',
    '![x](x" onerror="alert(1))',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<details open ontoggle=alert(1)>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_removes_script(payload):
    html = str(render_markdown(payload)).lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "ontoggle",
        "javascript:",
        "<iframe",
        "style=",
        "<svg",
        "<object",
        "<form",
        "data:text",
    ):
        assert bad not in html, (payload, html)


def test_sanitiser_keeps_teaching_markup():
    html = str(
        render_markdown(
            "# Judul\n\n- satu\n- dua\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "```\nkode\n```\n\n**tebal** [tautan](https://perpusnas.go.id)"
        )
    )
    for good in ("<h1>", "<ul>", "<table>", "<pre><code>", "<strong>", 'href="https://perpusnas.go.id"'):
        assert good in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_pack_images_are_rewritten_to_the_pack_files_route():
    html = str(render_markdown("![p](../assets/p.svg)", asset_base="/courses/x/files", doc_dir="lessons"))
    assert 'src="/courses/x/files/assets/p.svg"' in html
    outside = str(render_markdown("![p](../../etc/passwd)", asset_base="/courses/x/files", doc_dir="lessons"))
    assert "passwd" not in outside


def test_people_cannot_embed_relative_images():
    assert "src=" not in str(render_markdown("![p](../../uploads/x.png)"))


@pytest.fixture
def trainee(make_user, toy_course, make_cohort):
    user = make_user()
    make_cohort([toy_course], [user])
    return user


def test_dashboard_module_lesson_and_progress(client, trainee):
    login(client, trainee)
    dashboard = client.get("/").get_data(as_text=True)
    assert "Toy writing" in dashboard and "Peer Learning Meeting Nasional" in dashboard
    assert 'value="0"' in dashboard  # the module's progress bar starts empty
    module = client.get("/courses/toy-writing").get_data(as_text=True)
    assert module.index("Pre-test") < module.index("Intro") < module.index("Write a story")
    lesson = client.get("/courses/toy-writing/intro")
    html = lesson.get_data(as_text=True)
    assert (
        lesson.status_code == 200 and '<img alt="pyramid" src="/courses/toy-writing/files/assets/pyramid.svg"' in html
    )
    assert 'rel="prev"' in html and 'rel="next"' in html
    response = client.post("/courses/toy-writing/intro", data={"action": "complete"})
    assert response.status_code == 302
    assert "✓" in client.get("/courses/toy-writing/intro").get_data(as_text=True)
    assert 'value="25"' in client.get("/courses/toy-writing").get_data(as_text=True)


def test_pack_files_are_served_only_from_the_pack(client, trainee):
    login(client, trainee)
    svg = client.get("/courses/toy-writing/files/assets/pyramid.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "sandbox" in svg.headers["Content-Security-Policy"]
    svg.close()
    assert client.get("/courses/toy-writing/files/course.toml").status_code == 404
    assert client.get("/courses/toy-writing/files/../../../etc/passwd").status_code == 404


def test_course_outside_my_cohorts_is_404(client, make_user, toy_course):
    login(client, make_user())
    assert client.get("/courses/toy-writing").status_code == 404
    assert client.get("/courses/toy-writing/intro").status_code == 404


def test_lesson_html_is_rendered_once_per_version(client, trainee, monkeypatch):
    import lms.markup

    login(client, trainee)

    def fail(*args, **kwargs):
        raise AssertionError("lesson rendered on view")

    monkeypatch.setattr(lms.markup, "render_markdown", fail)
    monkeypatch.setattr("lms.coursepacks.sync.render_markdown", fail)
    assert client.get("/courses/toy-writing/intro").status_code == 200


def test_quiz_page_scores_and_explains(client, trainee):
    login(client, trainee)
    response = client.post("/courses/toy-writing/post-test", data={"q-when": "2", "q-many": ["0", "2"]})
    assert response.status_code == 302 and "attempt=" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "100%" in page and "When is the time." in page


def test_pre_post_gain_is_shown(client, trainee):
    login(client, trainee)
    client.post("/courses/toy-writing/pre-test", data={"q-where": "0", "q-who": "0"})  # 50%
    client.post("/courses/toy-writing/post-test", data={"q-when": "2", "q-many": ["0", "2"]})  # 100%
    page = client.get("/courses/toy-writing/post-test").get_data(as_text=True)
    assert "50%" in page and "100%" in page and "50 poin" in page


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_templates_have_no_inline_script_or_style():
    import re

    from tests.conftest import ROOT

    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert " style=" not in text and "<style" not in text, template
        assert "http://" not in text and "https://" not in text.replace("https://wa.me", ""), template


def test_logout_is_post_only(client, trainee):
    login(client, trainee)
    assert client.get("/logout").status_code == 405


def test_error_pages_have_no_stack_trace(client, app):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Traceback" not in response.get_data(as_text=True)


def test_dashboard_queries_do_not_grow_with_progress(client, make_user, real_courses, make_cohort):
    from lms.learning.progress import record_progress

    trainee = make_user()
    make_cohort(real_courses, [trainee])
    login(client, trainee)
    client.get("/")
    with count_queries() as before:
        client.get("/")
    for course in real_courses:
        for activity in course.current_activities:
            record_progress(trainee.id, activity.id, status="completed", completed=True)
    from lms.extensions import db

    db.session.commit()
    with count_queries() as after:
        page = client.get("/")
    assert len(after) == len(before)
    assert "6 dari 6 modul" in page.get_data(as_text=True) or "6 of 6" in page.get_data(as_text=True)
