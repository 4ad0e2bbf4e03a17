"""Importing participants: formats, the preview, and every kind of error with
its line and field, with nothing written."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from lms.extensions import db
from tests.conftest import login
from tests.english import make_user  # noqa: F401  (people who read English)

HEADER = "name,email,role,participant_type,province,regency,library"
GOOD = "Andi Nurhayati,andi@example.org,,village_library_manager,Sulawesi Selatan,Soppeng,Perpustakaan Macakka"


@pytest.fixture
def setup(app, toy_course, make_user, make_cohort, api_token):
    organizer = make_user("organizer")
    cohort = make_cohort([toy_course])
    return cohort, organizer, {**api_token(organizer), "Content-Type": "text/csv"}


def _counts():
    from lms.accounts.models import Library, User
    from lms.cohorts.models import Enrolment

    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (User, Enrolment, Library))


def _post(client, cohort, headers, data):
    return client.post(f"/api/v1/cohorts/{cohort.id}/participants", data=data, headers=headers)


BIG = HEADER + "\n" + "\n".join(f"Orang {i},o{i}@example.org,,village_library_manager,P,R,L" for i in range(90_000))

CASES = [
    # (what, file body, status, expected (line, field) pairs)
    ("missing name", f"{HEADER}\n{GOOD}\n,budi@example.org,,district_facilitator,,,", 422, [(3, "name")]),
    ("bad email", f"{HEADER}\n{GOOD}\nBudi,budi(at)example.org,,district_facilitator,,,", 422, [(3, "email")]),
    ("unknown role", f"{HEADER}\nBudi,budi@example.org,boss,district_facilitator,,,", 422, [(2, "role")]),
    ("unknown participant type", f"{HEADER}\nBudi,budi@example.org,,kepala desa,,,", 422, [(2, "participant_type")]),
    ("trainee without type", f"{HEADER}\nBudi,budi@example.org,trainee,,,,", 422, [(2, "participant_type")]),
    (
        "duplicate inside the file",
        f"{HEADER}\n{GOOD}\nBudi,budi@example.org,,district_facilitator,,,\n"
        f"Andi N,ANDI@example.org,,village_library_manager,,,",
        422,
        [(4, "email")],
    ),
    ("wrong header", "nama lengkap,email\nBudi,budi@example.org", 422, [(1, "nama lengkap"), (1, "name")]),
    ("header without email", "name,role\nBudi,trainee", 422, [(1, "email")]),
    (
        "province without library",
        f"{HEADER}\nBudi,budi@example.org,,district_facilitator,Lampung,,",
        422,
        [(2, "library")],
    ),
    (
        "non-UTF-8 file",
        f"{HEADER}\n{GOOD}\nBudi Sant\xf6so,b@example.org,,district_facilitator,,,".encode("latin-1"),
        422,
        [(3, "file")],
    ),
    ("empty file", b"", 422, [(1, "file")]),
    ("only a header", f"{HEADER}\n\n", 422, [(1, "file")]),
    ("5 MB file", BIG.encode() + b"x" * max(0, 5 * 1024 * 1024 - len(BIG)), 413, [(1, "file")]),
    ("several errors at once", f"{HEADER}\n,x,,,,,\n{GOOD}", 422, [(2, "name"), (2, "email"), (2, "participant_type")]),
]


@pytest.mark.parametrize("what, body, status, where", CASES, ids=[c[0] for c in CASES])
def test_import_errors_name_line_and_field_and_write_nothing(client, setup, what, body, status, where):
    cohort, _organizer, headers = setup
    before = _counts()
    response = _post(client, cohort, headers, body if isinstance(body, bytes) else body.encode())
    assert response.status_code == status, response.get_json()
    errors = response.get_json()["errors"]
    assert [(e["line"], e["field"]) for e in errors] == where
    assert all(e["message"] for e in errors)
    assert _counts() == before


def test_the_page_shows_the_same_errors(client, setup):
    cohort, organizer, _headers = setup
    login(client, organizer)
    before = _counts()
    page = client.post(
        f"/cohorts/{cohort.id}/import",
        data={
            "file": (
                io.BytesIO(f"{HEADER}\n{GOOD}\nBudi,budi(at)example.org,,district_facilitator,,,".encode()),
                "peserta.csv",
            )
        },
        content_type="multipart/form-data",
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Nothing was imported" in html and "<td>3</td><td>email</td>" in html
    assert _counts() == before


def test_excel_csv_with_bom_and_semicolons_preview_then_confirm(client, setup, make_user):
    from lms.accounts.models import User
    from lms.cohorts.models import Enrolment

    cohort, organizer, _headers = setup
    known = make_user(email="lama@example.org", name="Nama Lama")
    body = (
        "\ufeffNama;Email;Peran;Jenis Peserta;Provinsi;Kabupaten;Perpustakaan;Kelompok\r\n"
        "Siti Aminah;siti@example.org;;Pengelola Perpustakaan Desa;Lampung;Tulang Bawang;"
        '"Perpustakaan Desa Anugrah; Dwi Mulyo";Kelas A\r\n'
        "Nama Baru;LAMA@example.org;trainee;;;;;\r\n"
        "Yusuf Pelatih;yusuf@example.org;trainer;;;;;\r\n"
    ).encode("utf-8")
    login(client, organizer)
    before = _counts()
    preview = client.post(
        f"/cohorts/{cohort.id}/import",
        data={"file": (io.BytesIO(body), "peserta.csv")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "Preview: nothing is written yet" in preview
    assert "2 new people, 1 updated, 3 enrolled in the cohort." in preview
    assert _counts() == before
    token = preview.split('name="token" value="')[1].split('"')[0]
    done = client.post(f"/cohorts/{cohort.id}/import/confirm", data={"token": token})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and html.count("/invite/") == 2
    siti = db.session.scalar(sa.select(User).where(User.email == "siti@example.org"))
    assert siti.participant_type == "village_library_manager"
    assert siti.library.name == "Perpustakaan Desa Anugrah; Dwi Mulyo" and siti.library.province == "Lampung"
    assert db.session.get(User, known.id).name == "Nama Baru"
    roles = dict(
        db.session.execute(sa.select(Enrolment.user_id, Enrolment.role).where(Enrolment.cohort_id == cohort.id)).all()
    )
    yusuf = db.session.scalar(sa.select(User).where(User.email == "yusuf@example.org"))
    assert roles == {siti.id: "trainee", known.id: "trainee", yusuf.id: "trainer"}
    group = db.session.scalar(sa.select(Enrolment.group_name).where(Enrolment.user_id == siti.id))
    assert group == "Kelas A"
    # the same token does not import twice
    again = client.post(f"/cohorts/{cohort.id}/import/confirm", data={"token": token})
    assert again.status_code == 302


def test_xlsx_and_a_second_import_updates(client, setup):
    cohort, _organizer, headers = setup
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "email", "participant_type", "library", "province"])
    sheet.append(
        ["Rina", "rina@example.org", "district facilitator", "Dinas Perpustakaan Kabupaten Bone", "Sulawesi Selatan"]
    )
    sheet.append([None, None, None, None, None])
    sheet.append(["Tono", "tono@example.org", "Tim Sinergi Provinsi", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = {**headers, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    first = _post(client, cohort, xlsx, buffer.getvalue())
    assert first.status_code == 200 and (first.get_json()["created"], first.get_json()["enrolled"]) == (2, 2)
    dry = client.post(
        f"/api/v1/cohorts/{cohort.id}/participants?dry_run=1",
        headers=headers,
        data=b"name,email\nRina R.,rina@example.org\n",
    ).get_json()
    assert (dry["created"], dry["updated"], dry["enrolled"], dry["dry_run"]) == (0, 1, 0, True)
    second = _post(client, cohort, headers, b"name,email\nRina R.,rina@example.org\n").get_json()
    assert (second["created"], second["updated"], second["enrolled"]) == (0, 1, 0)


def test_import_refuses_role_changes_and_wrong_content_type(client, setup, make_user):
    cohort, _organizer, headers = setup
    make_user("trainer", email="pelatih@example.org")
    response = _post(client, cohort, headers, b"name,email,role\nPelatih,pelatih@example.org,trainee\n")
    assert response.status_code == 422 and response.get_json()["errors"][0]["field"] == "role"
    wrong = client.post(
        f"/api/v1/cohorts/{cohort.id}/participants",
        json={"name": "x"},
        headers={"Authorization": headers["Authorization"]},
    )
    assert wrong.status_code == 400 and "error" in wrong.get_json()


def test_templates_download(client, setup):
    cohort, organizer, _headers = setup
    login(client, organizer)
    assert client.get("/cohorts/import-template.csv").data.decode().startswith(HEADER)
    xlsx = client.get("/cohorts/import-template.xlsx")
    assert xlsx.status_code == 200 and xlsx.data.startswith(b"PK")
