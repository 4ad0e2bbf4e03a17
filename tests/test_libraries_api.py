"""GET /api/v1/libraries/leaderboard: the page's ranking, for any token holder,
in a number of queries that does not grow with the number of libraries."""

from __future__ import annotations

import secrets
from datetime import date
from html.parser import HTMLParser

import sqlalchemy as sa

from lms.accounts.models import Library
from lms.extensions import db, utcnow
from lms.libraries.models import Post, PostPhoto
from tests.conftest import count_queries, login
from tests.test_libraries_helpers import add_post, make_library, people  # noqa: F401

URL = "/api/v1/libraries/leaderboard"


class RowParser(HTMLParser):
    """The cells of the leaderboard table's body."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_body = self.in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.in_cell = True
            self.rows[-1].append("")
        elif self.in_cell and tag == "br":
            self.rows[-1][-1] += "\n"

    def handle_endtag(self, tag):
        if tag == "td":
            self.in_cell = False
        elif tag == "tbody":
            self.in_body = False

    def handle_data(self, data):
        if self.in_cell:
            self.rows[-1][-1] += data


def page_rows(client, query: str) -> list[tuple[int, str, str, str, int]]:
    parser = RowParser()
    parser.feed(client.get(f"/libraries/leaderboard?{query}").get_data(as_text=True))
    result = []
    for cells in parser.rows:
        if len(cells) == 5:
            rank = int(cells[0].split()[0])
            result.append((rank, cells[1].strip().splitlines()[0].strip(), cells[2], cells[3], int(cells[4])))
    return result


def api_rows(client, headers, query: str) -> list[tuple[int, str, str, str, int]]:
    response = client.get(f"{URL}?{query}", headers=headers)
    assert response.status_code == 200
    return [(r["rank"], r["library"], r["regency"], r["province"], r["posts"]) for r in response.json]


def seed(make_user):
    counts = [
        ("Perpustakaan Macakka", "Soppeng", "Sulawesi Selatan", 4),
        ("Perpustakaan Desa Purworejo", "Lampung Tengah", "Lampung", 2),
        ("Perpustakaan Berlian", "Bangka", "Kepulauan Bangka Belitung", 2),
        ("Perpustakaan Desa Mekarsari", "Bone", "Sulawesi Selatan", 1),
    ]
    for name, regency, province, n in counts:
        author = make_user(library=make_library(name, regency=regency, province=province))
        for day in range(1, n + 1):
            add_post(author, f"Kegiatan {day}", date(2019, 10, day * 3))


def test_the_api_answers_the_same_as_the_page(client, make_user, api_token):
    seed(make_user)
    viewer = make_user("trainer")
    headers = api_token(viewer)
    login(client, viewer)
    for query in (
        "since=2019-10-01&until=2019-10-31",
        "since=2019-10-01&until=2019-10-31&province=Sulawesi+Selatan",
        "since=2019-10-04&until=2019-10-09",
        "",
    ):
        assert api_rows(client, headers, query) == page_rows(client, query), query
    assert api_rows(client, headers, "since=2019-10-01&until=2019-10-31") == [
        (1, "Perpustakaan Macakka", "Soppeng", "Sulawesi Selatan", 4),
        (2, "Perpustakaan Berlian", "Bangka", "Kepulauan Bangka Belitung", 2),
        (2, "Perpustakaan Desa Purworejo", "Lampung Tengah", "Lampung", 2),
        (4, "Perpustakaan Desa Mekarsari", "Bone", "Sulawesi Selatan", 1),
    ]


def test_any_token_holder_may_ask_and_errors_are_json(client, people, api_token):
    add_post(people["andi"], "Kegiatan", date(2019, 10, 3))
    assert client.get(URL).status_code == 401
    headers = api_token(people["andi"])  # a trainee
    response = client.get(f"{URL}?since=2019-10-01&until=2019-10-31", headers=headers)
    assert response.status_code == 200 and response.json[0]["library"] == "Perpustakaan Macakka"
    assert set(response.json[0]) >= {"rank", "library", "regency", "province", "posts"}
    bad = client.get(f"{URL}?since=kemarin", headers=headers)
    assert bad.status_code == 400 and bad.json["error"]["code"] == "bad_request"
    backwards = client.get(f"{URL}?since=2019-10-31&until=2019-10-01", headers=headers)
    assert backwards.status_code == 422 and backwards.json["error"]["code"] == "invalid"


def test_the_leaderboard_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json
    operation = document["paths"]["/libraries/leaderboard"]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"since", "until", "province"}


def add_libraries(count: int, start: int) -> None:
    """`count` libraries with a few posts each, written in bulk."""
    now = utcnow()
    db.session.execute(
        sa.insert(Library),
        [
            {
                "name": f"Perpustakaan Desa {n:04d}",
                "village": f"Desa {n}",
                "regency": f"Kabupaten {n % 40}",
                "province": f"Provinsi {n % 34}",
                "kind": "village",
                "created_at": now,
            }
            for n in range(start, start + count)
        ],
    )
    ids = list(
        db.session.scalars(sa.select(Library.id).where(Library.name.like("Perpustakaan Desa 0%")).order_by(Library.id))
    )[-count:]
    posts = []
    for library_id in ids:
        for k in range(library_id % 5 + 1):
            posts.append(
                {
                    "library_id": library_id,
                    "status": "published",
                    "title": f"Kegiatan {k}",
                    "title_key": f"kegiatan {k}",
                    "activity_date": date(2019, 10, 1 + k),
                    "story": "",
                    "story_chars": 0,
                    "draft_key": secrets.token_hex(16),
                    "created_at": now,
                    "updated_at": now,
                }
            )
    db.session.execute(sa.insert(Post), posts)
    post_ids = db.session.scalars(sa.select(Post.id).where(Post.library_id.in_(ids)))
    db.session.execute(
        sa.insert(PostPhoto),
        [
            {
                "post_id": pid,
                "stored_name": f"{pid}.jpg",
                "thumb_name": f"{pid}-t.jpg",
                "width": 1,
                "height": 1,
                "size": 1,
                "created_at": now,
            }
            for pid in post_ids
        ],
    )
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_libraries(client, make_user, api_token):
    viewer = make_user("organizer")
    headers = api_token(viewer)
    login(client, viewer)
    query = "since=2019-10-01&until=2019-10-31"

    def measure() -> tuple[int, int, int]:
        with count_queries() as page:
            assert client.get(f"/libraries/leaderboard?{query}").status_code == 200
        with count_queries() as api:
            assert len(client.get(f"{URL}?{query}", headers=headers).json) > 0
        with count_queries() as default_period:
            assert client.get("/libraries/leaderboard").status_code == 200
        return len(page), len(api), len(default_period)

    add_libraries(10, 0)
    client.get(f"{URL}?{query}", headers=headers)  # the token's first use is written once
    small = measure()
    add_libraries(490, 10)
    large = measure()
    assert large == small
    assert len(client.get(f"{URL}?{query}", headers=headers).json) == 500
