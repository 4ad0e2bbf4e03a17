"""Activity posts: publishing, drafts and autosave (nothing typed is lost),
colleagues edit, other libraries cannot, soft deletion, the feed, the library
page, and links to posts in submission texts."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import render_template_string

from lms.extensions import db
from lms.libraries import services
from lms.libraries.models import Post
from tests.conftest import login
from tests.test_libraries_helpers import LONG_STORY, add_post, make_library, people  # noqa: F401

FORM = {
    "title": "Kelas membaca nyaring",
    "activity_date": "2019-10-10",
    "kind": "reading",
    "place": "Balai desa",
    "male": "4",
    "female": "8",
    "age_children": "10",
    "age_adults": "2",
    "partners": "PKK",
    "text": LONG_STORY,
    "action": "publish",
}


def only_post() -> Post:
    return db.session.scalar(sa.select(Post))


def test_a_trainee_publishes_an_activity_of_their_library(client, people):
    login(client, people["andi"])
    response = client.post("/libraries/posts/new", data={**FORM, "draft_key": "a" * 32})
    post = only_post()
    assert response.status_code == 302 and response.headers["Location"] == f"/libraries/posts/{post.id}"
    assert (post.status, post.library_id, post.author_id) == ("published", people["macakka"].id, people["andi"].id)
    assert (post.male, post.female, post.age_children, post.age_adults, post.participants) == (4, 8, 10, 2, 12)
    assert post.counts_on(date(2019, 11, 1))
    page = client.get(f"/libraries/posts/{post.id}").get_data(as_text=True)
    assert "Kelas membaca nyaring" in page and "Balai desa" in page and "PKK" in page
    assert f"http://localhost/libraries/posts/{post.id}" in page and "data-copy" in page  # the link to copy
    # A second click on Publish (the same form) finds the same post.
    client.post("/libraries/posts/new", data={**FORM, "draft_key": "a" * 32, "draft_version": str(post.version)})
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post)) == 1


def test_publishing_checks_the_record_but_a_draft_keeps_anything(client, people):
    login(client, people["andi"])
    response = client.post("/libraries/posts/new", data={**FORM, "age_children": "11"})
    assert response.status_code == 422 and "must be equal" in response.get_data(as_text=True)
    response = client.post("/libraries/posts/new", data={**FORM, "title": ""})
    assert response.status_code == 422 and "A title is required" in response.get_data(as_text=True)
    response = client.post("/libraries/posts/new", data={**FORM, "male": "-3"})
    assert response.status_code == 422 and "whole numbers" in response.get_data(as_text=True)
    assert only_post() is None
    response = client.post("/libraries/posts/new", data={**FORM, "title": "", "age_children": "11", "action": "draft"})
    post = only_post()
    assert response.status_code == 302 and post.status == "draft" and post.age_children == 11
    assert response.headers["Location"] == f"/libraries/posts/{post.id}/edit"


def test_the_story_is_sanitised_markdown(client, people):
    login(client, people["andi"])
    client.post(
        "/libraries/posts/new",
        data={**FORM, "text": "**Ramai** sekali <script>alert(1)</script> [tautan](javascript:alert(2))"},
    )
    page = client.get(f"/libraries/posts/{only_post().id}").get_data(as_text=True)
    assert "<strong>Ramai</strong>" in page and "<script>alert" not in page and "javascript:" not in page


def test_autosave_starts_a_draft_and_the_form_then_finds_it(client, people):
    login(client, people["andi"])
    key = services.new_draft_key()
    first = client.post(f"/libraries/posts/autosave/{key}", json={"text": "Awal cerita", "version": 0})
    assert first.status_code == 200 and first.json["version"] == 1
    post = only_post()
    assert (post.status, post.story, post.draft_key) == ("draft", "Awal cerita", key)
    again = client.post(f"/libraries/posts/autosave/{key}", json={"text": "Awal cerita, lanjut", "version": 1})
    assert again.json["version"] == 2
    stale = client.post(f"/libraries/posts/autosave/{key}", json={"text": "dari tab lama", "version": 1})
    assert stale.status_code == 409 and stale.json["error"]["code"] == "conflict"
    db.session.refresh(post)
    assert post.story == "Awal cerita, lanjut"
    response = client.post("/libraries/posts/new", data={**FORM, "draft_key": key, "draft_version": "2"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Post)) == 1
    db.session.refresh(post)
    assert post.status == "published" and post.story == LONG_STORY


def test_autosave_needs_a_signed_in_colleague(client, people):
    key = services.new_draft_key()
    assert client.post(f"/libraries/posts/autosave/{key}", json={"text": "x"}).status_code == 401
    login(client, people["andi"])
    client.post(f"/libraries/posts/autosave/{key}", json={"text": "punya Macakka", "version": 0})
    assert client.post(f"/libraries/posts/autosave/{key}", json={"nope": 1}).status_code == 400
    client.post("/logout")
    login(client, people["budi"])
    response = client.post(f"/libraries/posts/autosave/{key}", json={"text": "punya orang lain", "version": 1})
    assert response.status_code == 404
    assert only_post().story == "punya Macakka"


def test_autosave_on_a_published_post_is_kept_aside_until_saved(client, people):
    post = add_post(people["andi"], "Lomba mewarnai")
    login(client, people["siti"])
    response = client.post(
        f"/libraries/posts/autosave/{post.draft_key}",
        json={"text": "Cerita yang sedang ditulis", "version": post.version},
    )
    assert response.status_code == 200
    db.session.refresh(post)
    assert post.story == LONG_STORY and post.pending_story == "Cerita yang sedang ditulis"
    assert "Cerita yang sedang ditulis" not in client.get(f"/libraries/posts/{post.id}").get_data(as_text=True)
    form = client.get(f"/libraries/posts/{post.id}/edit").get_data(as_text=True)
    assert "Cerita yang sedang ditulis" in form and "not yet saved" in form


def test_a_stale_form_is_refused_and_what_was_typed_stays_on_the_page(client, people):
    post = add_post(people["andi"], "Pelatihan menjahit")
    opened = post.version
    login(client, people["siti"])
    client.post(
        f"/libraries/posts/{post.id}/edit",
        data={
            **FORM,
            "title": "Pelatihan menjahit",
            "text": "Versi Siti " + LONG_STORY,
            "draft_version": str(opened),
            "action": "save",
        },
    )
    client.post("/logout")
    login(client, people["andi"])
    response = client.post(
        f"/libraries/posts/{post.id}/edit",
        data={
            **FORM,
            "title": "Pelatihan menjahit",
            "text": "Versi Andi yang panjang",
            "draft_version": str(opened),
            "action": "save",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Versi Andi yang panjang" in page and "Versi Siti" in page  # mine in the form, theirs beside it
    db.session.refresh(post)
    assert post.story.startswith("Versi Siti")
    # Saving again from the page (now on the newest version) keeps Andi's text.
    client.post(
        f"/libraries/posts/{post.id}/edit",
        data={
            **FORM,
            "title": "Pelatihan menjahit",
            "text": "Versi Andi yang panjang",
            "draft_version": str(post.version),
            "action": "save",
        },
    )
    db.session.refresh(post)
    assert post.story == "Versi Andi yang panjang" and post.updated_by_id == people["andi"].id


def test_colleagues_edit_people_of_another_library_cannot(client, people):
    post = add_post(people["andi"], "Pameran kerajinan")
    login(client, people["budi"])  # another library, same regency
    assert client.get(f"/libraries/posts/{post.id}").status_code == 200  # published: anyone signed in reads it
    assert client.get(f"/libraries/posts/{post.id}/edit").status_code == 404
    assert client.post(f"/libraries/posts/{post.id}/edit", data={**FORM, "draft_version": "9"}).status_code == 404
    assert client.post(f"/libraries/posts/{post.id}/delete").status_code == 404
    assert client.post("/libraries/posts/new", data={**FORM, "draft_key": post.draft_key}).status_code == 404
    db.session.refresh(post)
    assert post.title == "Pameran kerajinan" and post.deleted_at is None and post.library_id == people["macakka"].id
    assert "Edit" not in client.get(f"/libraries/posts/{post.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, people["siti"])  # a colleague of Andi
    response = client.post(
        f"/libraries/posts/{post.id}/edit",
        data={**FORM, "title": "Pameran kerajinan warga", "draft_version": str(post.version), "action": "save"},
    )
    assert response.status_code == 302
    db.session.refresh(post)
    assert post.title == "Pameran kerajinan warga" and post.updated_by_id == people["siti"].id


def test_drafts_are_seen_only_by_the_library(client, people):
    draft = add_post(people["andi"], "Draf rahasia", publish=False)
    login(client, people["budi"])
    assert client.get(f"/libraries/posts/{draft.id}").status_code == 404
    assert "Draf rahasia" not in client.get(f"/libraries/{people['macakka'].id}").get_data(as_text=True)
    client.post("/logout")
    login(client, people["siti"])
    assert client.get(f"/libraries/posts/{draft.id}").status_code == 200
    assert "Draf rahasia" in client.get(f"/libraries/{people['macakka'].id}").get_data(as_text=True)


def test_deleting_is_soft_and_recorded(client, people):
    post = add_post(people["andi"], "Salah unggah")
    login(client, people["siti"])
    response = client.post(f"/libraries/posts/{post.id}/delete")
    assert response.status_code == 302
    db.session.refresh(post)
    assert post.deleted_at is not None and post.deleted_by_id == people["siti"].id
    assert client.get(f"/libraries/posts/{post.id}").status_code == 404
    assert client.get(f"/libraries/posts/{post.id}/edit").status_code == 404
    page = client.get(f"/libraries/{people['macakka'].id}").get_data(as_text=True)
    assert "Salah unggah" in page and "deleted by Siti" in page
    client.post("/logout")
    login(client, people["budi"])
    assert "Salah unggah" not in client.get(f"/libraries/{people['macakka'].id}").get_data(as_text=True)


def test_an_organizer_may_take_a_post_down_but_not_edit_it(client, people):
    post = add_post(people["andi"], "Tidak pantas")
    login(client, people["organizer"])
    assert client.get(f"/libraries/posts/{post.id}/edit").status_code == 404
    assert client.post(f"/libraries/posts/{post.id}/delete").status_code == 302
    db.session.refresh(post)
    assert post.deleted_by_id == people["organizer"].id


def test_people_without_a_library_cannot_post(client, make_user):
    trainer = make_user("trainer")
    login(client, trainer)
    assert client.get("/libraries/posts/new").status_code == 302
    assert client.post("/libraries/posts/new", data=FORM).status_code == 302
    assert only_post() is None


def test_the_feed_filters_by_province_regency_kind_and_month(client, people, make_user):
    lampung = make_user(
        library=make_library("Perpustakaan Desa Anugrah Dwi Mulyo", regency="Tulang Bawang", province="Lampung")
    )
    add_post(people["andi"], "Kelas membaca Soppeng", date(2019, 10, 3))
    add_post(people["rina"], "Kelas membaca Bone", date(2019, 9, 3))
    add_post(lampung, "Kelas membaca Lampung", date(2019, 10, 5))
    add_post(people["andi"], "Draf Soppeng", date(2019, 10, 6), publish=False)
    login(client, people["budi"])

    def titles(query: str) -> set[str]:
        page = client.get(f"/libraries/?{query}").get_data(as_text=True)
        return {t for t in ("Soppeng", "Bone", "Lampung") if f"Kelas membaca {t}" in page} | (
            {"draft"} if "Draf Soppeng" in page else set()
        )

    assert titles("") == {"Soppeng", "Bone", "Lampung"}
    assert titles("province=Sulawesi+Selatan") == {"Soppeng", "Bone"}
    assert titles("regency=Bone") == {"Bone"}
    assert titles("month=2019-10") == {"Soppeng", "Lampung"}
    assert titles("kind=reading&province=Lampung") == {"Lampung"}
    assert titles("kind=skills") == set()
    assert client.get("/libraries/?month=Oktober").status_code == 400


def test_the_library_page_shows_profile_timeline_and_monthly_totals(client, people):
    add_post(people["andi"], "Kegiatan satu", date(2019, 10, 3))
    add_post(people["andi"], "Kegiatan dua", date(2019, 10, 9), story="pendek")
    library = people["macakka"]
    totals = services.monthly_totals(library, last=date(2019, 11, 1))
    assert [(t.month, t.activities, t.counted, t.male, t.female) for t in totals[:2]] == [
        (date(2019, 11, 1), 0, 0, 0, 0),
        (date(2019, 10, 1), 2, 1, 6, 14),
    ]
    login(client, people["budi"])
    page = client.get(f"/libraries/{library.id}").get_data(as_text=True)
    assert "Perpustakaan Macakka" in page and "Tellulimpoe" in page and "Soppeng" in page
    assert page.index("Kegiatan dua") < page.index("Kegiatan satu")  # newest first
    assert client.get("/libraries/99999").status_code == 404


def test_posts_linked_in_a_submission_text_are_found_for_the_grader(app, client, people, make_user):
    first = add_post(people["andi"], "Kegiatan pertama")
    second = add_post(people["andi"], "Kegiatan kedua")
    draft = add_post(people["andi"], "Masih draf", publish=False)
    text = (
        f"Tautan: http://localhost/libraries/posts/{second.id} dan /libraries/posts/{first.id}, "
        f"lagi /libraries/posts/{second.id} dan /libraries/posts/{draft.id}"
    )
    trainer = make_user("trainer", language="en")
    assert [p.id for p in services.linked_posts(trainer, text)] == [second.id, first.id]
    login(client, trainer)
    with app.test_request_context():
        from flask_login import login_user

        login_user(trainer)
        html = render_template_string(
            '{% from "libraries/macros.html" import linked_posts %}{{ linked_posts(text, author) }}',
            text=text,
            author=people["andi"],
        )
        foreign = render_template_string(
            '{% from "libraries/macros.html" import linked_posts %}{{ linked_posts(text, author) }}',
            text=text,
            author=people["budi"],
        )
    assert "Kegiatan kedua" in html and "Kegiatan pertama" in html and "Masih draf" not in html
    assert "Not an activity of this trainee" not in html
    assert foreign.count("Not an activity of this trainee") == 2
