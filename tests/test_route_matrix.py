"""Every route × every role, with other people's objects (docs/architecture.md,
Policies). The table (tests/route_matrix_table.py) lists, for each route of
`app.url_map`, the requests to make and the status each role must get; a route
without a row fails `test_the_table_lists_every_route`, so a new route cannot
ship without deciding who may use it.

The data are built once for the module (an app of its own, made as conftest's
`app` is, so that conftest's factories work on it). Each request starts from the
same data and the same signed-in session: a request that writes to the database
is followed by a restore of every table, and each request gets a new client with
its role's session cookie, so no pair depends on the order the pairs run in.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from PIL import Image

from lms import create_app
from lms.accounts import services as accounts
from lms.cohorts import services as cohorts
from lms.coursepacks.models import Course
from lms.coursepacks.source import discover
from lms.extensions import db, limiter
from tests.conftest import ROOT, TEST_PACKS, IsolatedClient, _drop_everything, database_url, login, sync_packs
from tests.route_matrix_table import CASES, LOGIN, ROLES, Case, Defect, Same

WRITES = ("INSERT", "UPDATE", "DELETE")
TOY_NINE = {"judul": 2, "struktur": 3, "bahasa": 2, "ejaan": 1, "foto": 1}  # 9/10 on toy-writing's story
EASY_NINE = {"judul": 2, "struktur": 3, "bahasa": 2, "ejaan": 1, "foto": 1}  # 9/10 on easy-writing's news story
POST_FORM = {
    "title": "Kelas membaca nyaring",
    "activity_date": "2019-10-10",
    "kind": "reading",
    "place": "Balai desa",
    "male": "4",
    "female": "8",
    "age_children": "10",
    "age_adults": "2",
    "partners": "PKK",
    "text": (
        "Pelatihan membuat keripik pisang untuk ibu-ibu PKK di balai desa, diikuti dua puluh lima peserta "
        "dan didukung pemerintah desa."
    ),
}


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


# -- the app, once for the module ------------------------------------------------


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """conftest's `app`, for the whole module (conftest's factories use it)."""
    tmp_path = tmp_path_factory.mktemp("route_matrix")
    config = {
        "LMS_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url(tmp_path),
        "WTF_CSRF_ENABLED": False,
        "LMS_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "LMS_COURSE_PATHS": "",
        "RATELIMIT_STORAGE_URI": "memory://",
        "LMS_PASSWORD_METHOD": "pbkdf2:sha256:1",
    }
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LMS_INSTANCE_PATH", str(tmp_path / "instance"))
        application = create_app(config)
    application.test_client_class = IsolatedClient
    with application.app_context():
        _drop_everything()
        db.create_all()
        limiter.reset()
        yield application
        if "route_matrix" in application.extensions:
            application.extensions["route_matrix"]["database"].close()
        _drop_everything()
        for engine in db.engines.values():
            engine.dispose()


# -- the world --------------------------------------------------------------------


def build_world(app, make_user, make_cohort, api_token) -> dict[str, Any]:
    """Two cohorts with a trainee each, a trainer of cohort A only, an organizer
    and an admin, and objects of trainee A (and a few of trainee B's, to ask
    trainer A about). People and cohorts come from conftest's factories; the work
    is done through the app's own pages and API, as the people would do it, so
    that the world depends on URLs rather than on where the code lives.

    Returns the ids the table's URLs use, each role's bearer token and each
    role's session cookie."""
    sync_packs([TEST_PACKS / "toy-writing", *discover(ROOT / "courses", "", [])])  # one sync: it archives the rest
    courses = {c.slug: c for c in db.session.scalars(sa.select(Course))}
    toy, easy = courses["toy-writing"], courses["easy-writing"]

    # Both libraries in one province: only the cohort keeps trainer A from trainee B.
    home_a = accounts.find_or_create_library(
        "Perpustakaan Desa Macakka", village="Macakka", regency="Soppeng", province="Sulawesi Selatan"
    )
    home_b = accounts.find_or_create_library(
        "Perpustakaan Desa Sukamaju", village="Sukamaju", regency="Bone", province="Sulawesi Selatan"
    )
    people = {
        "trainee_a": make_user(name="Andi A", library=home_a),
        "trainee_b": make_user(name="Budi B", library=home_b),
        "trainer_a": make_user("trainer", name="Pelatih A"),
        "organizer": make_user("organizer", name="Panitia"),
        "admin": make_user("admin", name="Admin"),
    }
    trainer_b = make_user("trainer", name="Pelatih B")  # cohort B's trainer: not a role of the matrix
    invitee = make_user(name="Citra Diundang", library=home_b)
    ta, tb, tr = people["trainee_a"], people["trainee_b"], people["trainer_a"]

    today = date.today()  # work is handed in now, so the cohorts run now
    cohort_a = make_cohort([toy], trainees=[ta], trainers=[tr], name="Angkatan A", start=today)
    cohort_b = make_cohort([easy], trainees=[tb], trainers=[trainer_b], name="Angkatan B", start=today)
    cohort_c = make_cohort([toy], trainers=[trainer_b], name="Angkatan C", start=today)
    cohorts.assign_trainer(cohort_a, tr, "province", "Sulawesi Selatan")
    cohorts.assign_trainer(cohort_b, trainer_b, "province", "Sulawesi Selatan")
    cohorts.assign_trainer(cohort_c, trainer_b, "group", "Kelompok 1")
    cohorts.set_archived(cohort_c, True)
    token_a, _raw = accounts.create_api_token(ta, "phone")
    invite = accounts.create_invitation(invitee, created_by=people["organizer"])
    db.session.commit()
    scopes = {c.id: cohorts.trainer_scopes(c) for c in (cohort_a, cohort_b, cohort_c)}
    headers = {role: api_token(person) for role, person in people.items()}
    headers_b = api_token(trainer_b)
    for role_headers in (*headers.values(), headers_b):  # used once: later reads write no last_used_at
        assert app.test_client().get("/api/v1/me", headers=role_headers).status_code == 200

    def signed_in(person) -> IsolatedClient:
        client = app.test_client()
        assert login(client, person).status_code == 302, person.email
        return client

    def ok(response, status: int = 302):
        assert response.status_code == status, (response.request.path, response.status_code)
        return response

    # Trainee A completes toy-writing (the story with a photo, released 9/10) and
    # takes the certificate; trainee B's news story is graded but not released.
    a = signed_in(ta)
    ok(a.post("/courses/toy-writing/pre-test", data={"q-where": "1", "q-who": "2"}))
    ok(a.post("/courses/toy-writing/intro"))
    story = {"action": "submit", "text": "Berita desa", "files": (io.BytesIO(jpeg_bytes()), "foto.jpg")}
    ok(a.post("/courses/toy-writing/story", data=story, content_type="multipart/form-data"))
    [sub_a] = ok(app.test_client().get("/api/v1/submissions", headers=headers["trainer_a"]), 200).get_json()
    grade = {"version": sub_a["version"], "criteria": TOY_NINE, "outcome": "release"}
    ok(app.test_client().put(f"/api/v1/submissions/{sub_a['id']}/grade", json=grade, headers=headers["trainer_a"]), 200)
    ok(a.post("/courses/toy-writing/post-test", data={"q-when": "2", "q-many": ["0", "2"]}))
    issued = ok(a.post(f"/certificates/cohort/{cohort_a.id}/issue")).headers["Location"]
    cert_code = re.fullmatch(r".*/certificates/([^/]+)\.pdf", issued).group(1)  # not back to the dashboard

    b = signed_in(tb)
    news = {"action": "submit", "text": "Berita Sukamaju", "files": (io.BytesIO(jpeg_bytes()), "foto.jpg")}
    ok(b.post("/courses/easy-writing/tugas-menulis-berita", data=news, content_type="multipart/form-data"))
    [sub_b] = ok(app.test_client().get("/api/v1/submissions", headers=headers_b), 200).get_json()
    grade = {"version": sub_b["version"], "criteria": EASY_NINE, "outcome": "save"}
    ok(app.test_client().put(f"/api/v1/submissions/{sub_b['id']}/grade", json=grade, headers=headers_b), 200)

    # Trainee A's library: a published post and a draft, each with a photo.
    posts = {}
    for key, action in (("a" * 32, "publish"), ("b" * 32, "draft")):
        form = {**POST_FORM, "draft_key": key, "action": action, "photos": (io.BytesIO(jpeg_bytes()), "kegiatan.jpg")}
        saved = ok(a.post("/libraries/posts/new", data=form, content_type="multipart/form-data"))
        posts[action] = int(re.search(r"/libraries/posts/(\d+)", saved.headers["Location"]).group(1))
    photos = {
        action: int(re.search(r"/libraries/photos/(\d+)", ok(a.get(f"/libraries/posts/{post}"), 200).text).group(1))
        for action, post in posts.items()
    }

    api = app.test_client()
    sub_a = ok(api.get(f"/api/v1/submissions/{sub_a['id']}", headers=headers["trainer_a"]), 200).get_json()
    sub_b = ok(api.get(f"/api/v1/submissions/{sub_b['id']}", headers=headers["organizer"]), 200).get_json()
    assert (sub_a["status"], sub_b["status"]) == ("released", "graded")
    ids = {
        **{role: person.id for role, person in people.items()},
        "cohort_a": cohort_a.id,
        "cohort_b": cohort_b.id,
        "cohort_c": cohort_c.id,
        "scope_a": scopes[cohort_a.id][tr.id][0].id,
        "scope_b": scopes[cohort_b.id][trainer_b.id][0].id,
        "scope_c": scopes[cohort_c.id][trainer_b.id][0].id,
        "sub_a": sub_a["id"],
        "file_a": sub_a["files"][0]["id"],
        "version_a": sub_a["version"],
        "nine_a": TOY_NINE,
        "sub_b": sub_b["id"],
        "file_b": sub_b["files"][0]["id"],
        "version_b": sub_b["version"],
        "nine_b": EASY_NINE,
        "cert_a": cert_code,
        "token_a": token_a.id,
        "invite": invite,
        "lib_a": home_a.id,
        "post_pub": posts["publish"],
        "post_draft": posts["draft"],
        "draft_key": "b" * 32,
        "photo_pub": photos["publish"],
        "photo_draft": photos["draft"],
    }
    cookies = {role: signed_in(person).get_cookie("session").value for role, person in people.items()}
    return {"ids": ids, "headers": headers, "cookies": cookies}


class Database:
    """Every table's rows, kept after the world is built: a request that wrote
    anything is followed by `restore()`. Works the same on SQLite and PostgreSQL."""

    def __init__(self):
        self.tables = db.metadata.sorted_tables
        self.wrote = False
        sa.event.listen(db.engine, "before_cursor_execute", self._watch)
        self.saved = self.rows()

    def close(self) -> None:
        sa.event.remove(db.engine, "before_cursor_execute", self._watch)

    def _watch(self, _conn, _cursor, statement, *_args):
        if statement.lstrip()[:6].upper() in WRITES:
            self.wrote = True

    def rows(self) -> dict[str, list[tuple]]:
        with db.engine.connect() as conn:
            return {
                t.name: [tuple(r) for r in conn.execute(sa.select(t).order_by(*t.primary_key.columns))]
                for t in self.tables
            }

    def changed(self) -> bool:
        return self.wrote and self.rows() != self.saved

    def restore(self) -> None:
        with db.engine.begin() as conn:
            for table in reversed(self.tables):
                conn.execute(table.delete())
            for table in self.tables:
                rows = self.saved[table.name]
                if rows:
                    names = [c.name for c in table.columns]
                    conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])
        db.session.expire_all()
        self.wrote = False


@pytest.fixture
def world(app, make_user, make_cohort, api_token):
    """The module's world, built on the first request for it."""
    if "route_matrix" not in app.extensions:
        data = build_world(app, make_user, make_cohort, api_token)
        data["database"] = Database()
        app.extensions["route_matrix"] = data
    data = app.extensions["route_matrix"]
    limiter.reset()  # each request starts with fresh rate limits (sign-in, password reset)
    data["database"].wrote = False
    return data


# -- the requests -------------------------------------------------------------------


def _value(body, ids):
    return body(ids) if callable(body) else body


def ask(app, world, case: Case, role: str):
    """Make the case's request as `role`: the status, or LOGIN for a redirect to sign in."""
    ids = world["ids"]
    url = case.url.format(**ids)
    client = app.test_client()
    headers = {}
    if url.startswith("/api/"):
        headers = world["headers"].get(role, {})
    elif role != "anonymous":
        client.set_cookie("session", world["cookies"][role])
    kwargs: dict[str, Any] = {"headers": headers}
    if case.json is not None:
        kwargs["json"] = _value(case.json, ids)
    elif case.method != "GET":
        kwargs["data"] = _value(case.form, ids) or {}
    response = client.open(url, method=case.method, **kwargs)
    location = urlsplit(response.headers.get("Location", ""))
    if response.status_code == 302 and location.path == "/login" and "next" in parse_qs(location.query):
        return LOGIN
    return response.status_code


def _pairs():
    for case in CASES:
        label = f"{case.method} {case.url}" + (" (with a body)" if case.form or case.json else "")
        for role, expected in zip(ROLES, case.expected, strict=True):
            marks = ()
            if isinstance(expected, Defect):
                marks = pytest.mark.xfail(strict=True, reason=expected.why)
                expected = expected.expected
            yield pytest.param(case, role, expected, id=f"{label} as {role}", marks=marks)


@pytest.mark.parametrize(("case", "role", "expected"), list(_pairs()))
def test_route_and_role(app, world, case, role, expected):
    database = world["database"]
    try:
        got = ask(app, world, case, role)
        changed = database.changed()
    finally:
        if database.wrote:
            database.restore()
    status = expected.status if isinstance(expected, Same) else expected
    assert got == status, f"{case.method} {case.url} as {role}: expected {status}, got {got}. {case.note}"
    if isinstance(expected, Same) or status == LOGIN or status >= 400:
        assert not changed, f"{case.method} {case.url} as {role} answered {got} but changed the database"


# -- the table against the url_map ----------------------------------------------------


class _AnyId(dict):
    def __missing__(self, key):
        return "1"


def test_the_table_lists_every_route(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {(case.endpoint, case.method) for case in CASES}
    assert sorted(routes - listed) == [], "routes without a row in tests/route_matrix_table.py"
    assert sorted(listed - routes) == [], "rows for routes that are gone"

    # Each row's URL is a URL of its endpoint, whatever the ids.
    adapter = app.url_map.bind("localhost")
    wrong = []
    for case in CASES:
        endpoint, _args = adapter.match(urlsplit(case.url.format_map(_AnyId())).path, method=case.method)
        if endpoint != case.endpoint:
            wrong.append(f"{case.method} {case.url} goes to {endpoint}, not {case.endpoint}")
    assert wrong == []
