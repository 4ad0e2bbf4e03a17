"""Mentoring data: the traffic light at its thresholds, the organizers'
settings, who mentors which library, and who reads and writes notes."""

from __future__ import annotations

from datetime import date

import pytest

from lms.errors import Invalid
from lms.extensions import db
from lms.libraries import mentoring, policy, ranking
from lms.libraries.models import LightSettings
from tests.conftest import login
from tests.test_libraries_helpers import add_post, make_library, people  # noqa: F401


@pytest.mark.parametrize(
    "count, colour", [(0, "red"), (1, "red"), (2, "yellow"), (3, "yellow"), (4, "green"), (9, "green")]
)
def test_the_default_light_at_its_thresholds(app, count, colour):
    assert mentoring.light(count, mentoring.get_settings()) == colour


def test_an_organizer_sets_the_thresholds(client, people):
    login(client, people["andi"])
    assert client.post("/libraries/settings", data={"green_min": "6", "yellow_min": "3"}).status_code == 403
    client.post("/logout")
    login(client, people["organizer"])
    assert client.get("/libraries/settings").status_code == 200
    response = client.post("/libraries/settings", data={"green_min": "3", "yellow_min": "3"})
    assert response.status_code == 422 and "more than yellow" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(LightSettings)) is None
    assert client.post("/libraries/settings", data={"green_min": "6", "yellow_min": "3"}).status_code == 302
    settings = mentoring.get_settings()
    assert (settings.green_min, settings.yellow_min, settings.updated_by_id) == (6, 3, people["organizer"].id)
    assert [mentoring.light(n, settings) for n in (2, 3, 5, 6)] == ["red", "yellow", "yellow", "green"]


def test_settings_are_checked(app, people):
    for green, yellow in ((None, 2), (4, 0), (2, 2), (101, 3)):
        with pytest.raises(Invalid):
            mentoring.save_settings(people["organizer"], green, yellow)


def test_lights_trend_and_priority_from_the_monthly_counts(app, people):
    andi, budi = people["andi"], people["budi"]
    per_month = {7: 5, 8: 4, 9: 4, 10: 1, 11: 0}
    for month, n in per_month.items():
        for day in range(1, n + 1):
            add_post(andi, f"Kegiatan {day}", date(2019, month, day))
    for day in range(1, 4):
        add_post(budi, f"Kegiatan {day}", date(2019, 11, day))
    add_post(budi, "Kegiatan 1", date(2019, 11, 1))  # a duplicate: counts once
    rows = mentoring.lights_for([people["macakka"], people["other"]], date(2019, 11, 1))
    by_name = {r.library.name: r for r in rows}
    macakka = by_name["Perpustakaan Macakka"]
    assert [(m.first.month, m.count, m.light) for m in macakka.months] == [
        (6, 0, "red"),
        (7, 5, "green"),
        (8, 4, "green"),
        (9, 4, "green"),
        (10, 1, "red"),
        (11, 0, "red"),
    ]
    assert macakka.trend == "falling" and macakka.priority
    other = by_name["Perpustakaan Desa Sukamaju"]
    assert other.current.count == 3 and other.current.light == "yellow" and other.trend == "rising"
    assert not other.priority
    assert rows[0] is macakka  # red two months in a row comes first


def test_the_reference_month(app):
    assert mentoring.reference_month(date(2026, 11, 25)) == date(2026, 10, 1)
    cohort = ranking.Period(date(2019, 10, 28), date(2019, 12, 3))
    assert mentoring.reference_month(date(2026, 11, 25), cohort) == date(2019, 11, 1)
    running = ranking.Period(date(2026, 10, 28), date(2026, 12, 3))
    assert mentoring.reference_month(date(2026, 11, 25), running) == date(2026, 10, 1)
    # The monthly totals of a library page end with the month in progress, or the cohort's last one.
    assert mentoring.last_month(date(2026, 11, 25)) == date(2026, 11, 1)
    assert mentoring.last_month(date(2026, 11, 25), cohort) == date(2019, 12, 1)
    assert mentoring.last_month(date(2026, 11, 25), running) == date(2026, 11, 1)


@pytest.fixture
def facilitators(make_user, people):
    district_office = make_library("Dinas Perpustakaan Kabupaten Soppeng", village="", kind="regency")
    province_office = make_library(
        "Dinas Perpustakaan Provinsi Sulawesi Selatan", village="", regency="", kind="province"
    )
    lampung = make_library("Perpustakaan Desa Purworejo", regency="Lampung Tengah", province="Lampung")
    db.session.commit()
    return {
        "district": make_user(
            name="Fasilitator Soppeng", participant_type="district_facilitator", language="en", library=district_office
        ),
        "province": make_user(
            name="Fasilitator Sulsel", participant_type="provincial_facilitator", language="en", library=province_office
        ),
        "lampung": lampung,
    }


def test_facilitators_mentor_their_regency_or_province_by_default(app, people, facilitators):
    soppeng = {people["macakka"].id, people["other"].id}
    assert policy.mentored_library_ids(facilitators["district"]) == soppeng
    assert policy.mentored_library_ids(facilitators["province"]) == soppeng | {people["bone"].id}
    assert policy.mentored_library_ids(people["andi"]) == set()
    assert [p.name for p in mentoring.mentors_of(people["macakka"])] == ["Fasilitator Soppeng", "Fasilitator Sulsel"]
    assert [p.name for p in mentoring.mentors_of(people["bone"])] == ["Fasilitator Sulsel"]


def test_a_facilitator_sees_only_the_libraries_they_mentor(client, people, facilitators):
    login(client, facilitators["district"])
    page = client.get("/libraries/mentoring").get_data(as_text=True)
    assert "Perpustakaan Macakka" in page and "Perpustakaan Desa Sukamaju" in page
    assert "Perpustakaan Desa Mekarsari" not in page and "Purworejo" not in page
    assert client.get(f"/libraries/{people['macakka'].id}/mentoring").status_code == 200
    assert client.get(f"/libraries/{people['bone'].id}/mentoring").status_code == 404
    response = client.post(
        f"/libraries/{people['bone'].id}/mentoring", data={"visit_date": "2019-11-20", "discussed": "Tidak boleh"}
    )
    assert response.status_code == 404
    assert mentoring.notes_of(people["bone"]) == []


def test_an_organizer_changes_a_facilitators_list(client, people, facilitators):
    district = facilitators["district"]
    login(client, district)
    assert client.get(f"/libraries/{facilitators['lampung'].id}/mentoring").status_code == 404
    client.post("/logout")
    login(client, people["andi"])
    assert (
        client.post(
            f"/libraries/mentors/{district.id}", data={"library": people["bone"].id, "action": "add"}
        ).status_code
        == 403
    )
    client.post("/logout")
    login(client, people["organizer"])
    assert client.get(f"/libraries/mentors/{district.id}").status_code == 200
    assert "Fasilitator Soppeng" in client.get("/libraries/mentors").get_data(as_text=True)
    client.post(f"/libraries/mentors/{district.id}", data={"library": facilitators["lampung"].id, "action": "add"})
    client.post(f"/libraries/mentors/{district.id}", data={"library": people["other"].id, "action": "remove"})
    assert policy.mentored_library_ids(district) == {people["macakka"].id, facilitators["lampung"].id}
    client.post("/logout")
    login(client, district)
    page = client.get("/libraries/mentoring").get_data(as_text=True)
    assert "Purworejo" in page and "Perpustakaan Desa Sukamaju" not in page
    assert client.get(f"/libraries/{people['other'].id}/mentoring").status_code == 404
    # Back to the default: the change is removed rather than kept.
    mentoring.set_mentored(people["organizer"], district, people["other"].id, True)
    db.session.commit()
    assert db.session.get(mentoring.MentorLibrary, (district.id, people["other"].id)) is None


def test_notes_are_written_by_mentors_and_read_by_the_library_and_its_mentors(client, people, facilitators):
    macakka = people["macakka"]
    login(client, facilitators["district"])
    response = client.post(
        f"/libraries/{macakka.id}/mentoring",
        data={
            "visit_date": "2019-11-20",
            "discussed": "Lampu merah: kegiatan belum diunggah.",
            "follow_up": "Unggah kegiatan Oktober minggu ini.",
        },
    )
    assert response.status_code == 302
    response = client.post(f"/libraries/{macakka.id}/mentoring", data={"visit_date": "", "discussed": "x"})
    assert response.status_code == 422
    client.post("/logout")
    for reader, allowed in (
        (people["siti"], True),
        (facilitators["province"], True),
        (people["organizer"], True),
        (people["budi"], False),
        (people["rina"], False),
    ):
        login(client, reader)
        response = client.get(f"/libraries/{macakka.id}/mentoring")
        assert (response.status_code == 200) is allowed, reader.name
        if allowed:
            assert "Unggah kegiatan Oktober minggu ini." in response.get_data(as_text=True)
        client.post("/logout")
    login(client, people["andi"])  # the library reads, but does not write, notes
    response = client.post(
        f"/libraries/{macakka.id}/mentoring", data={"visit_date": "2019-11-21", "discussed": "Catatan sendiri"}
    )
    assert response.status_code == 404
    assert [n.discussed for n in mentoring.notes_of(macakka)] == ["Lampu merah: kegiatan belum diunggah."]
    assert client.get("/libraries/mentoring").status_code == 404  # not a facilitator, no list


def test_an_organizer_sees_every_village_library_by_province(client, people, facilitators):
    login(client, people["organizer"])
    page = client.get("/libraries/mentoring").get_data(as_text=True)
    assert all(name in page for name in ("Macakka", "Sukamaju", "Mekarsari", "Purworejo"))
    assert "Dinas Perpustakaan" not in page
    page = client.get("/libraries/mentoring?province=Lampung").get_data(as_text=True)
    assert "Purworejo" in page and "Macakka" not in page
