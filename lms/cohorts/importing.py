"""Importing participants from a spreadsheet (api.md, "Participant import").

Reading (CSV in UTF-8 with or without a byte-order mark, comma- or
semicolon-separated; or .xlsx) and checking are pure: nothing is written until
every row is valid, and then every row is written in the one transaction of the
request. Errors name the line (the header is line 1) and the field.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from lms import mail
from lms.accounts import services as accounts
from lms.accounts.models import PARTICIPANT_TYPES, PARTICIPANT_TYPES_ID, User
from lms.cohorts.models import Cohort, Enrolment
from lms.cohorts.services import require_open
from lms.extensions import db

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000
COLUMNS = ("name", "email", "role", "participant_type", "province", "regency", "library", "village", "group")
REQUIRED = ("name", "email")
# Header names also accepted, as people write them in Indonesian.
ALIASES = {
    "nama": "name",
    "surel": "email",
    "e-mail": "email",
    "peran": "role",
    "jenis_peserta": "participant_type",
    "jenis peserta": "participant_type",
    "participant type": "participant_type",
    "provinsi": "province",
    "kabupaten": "regency",
    "kabupaten/kota": "regency",
    "perpustakaan": "library",
    "desa": "village",
    "kelompok": "group",
    "kelas": "group",
}
ROLES = ("trainee", "trainer", "organizer")
LIMITS = {"name": 200, "email": 254, "province": 120, "regency": 120, "library": 200, "village": 120, "group": 100}
XLSX_MAGIC = b"PK\x03\x04"


class ImportRejected(Exception):
    """The file cannot be imported; `errors` says where and why."""

    def __init__(self, errors: list[dict[str, Any]], status: int = 422):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors
        self.status = status


def _error(line: int, field_name: str, message: str) -> dict[str, Any]:
    return {"line": line, "field": field_name, "message": message}


@dataclass
class Row:
    line: int
    values: dict[str, str]


@dataclass
class Planned:
    """What a valid row will do."""

    line: int
    name: str
    email: str
    role: str
    participant_type: str | None
    library: str
    village: str
    regency: str
    province: str
    group: str
    existing: User | None = None
    enrol: bool = True
    changes: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        return "update" if self.existing is not None else "create"


@dataclass
class Plan:
    cohort: Cohort
    rows: list[Planned]

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.existing is None)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.existing is not None)

    @property
    def enrolled(self) -> int:
        return sum(1 for r in self.rows if r.enrol)

    def report(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "enrolled": self.enrolled}


# -- reading ---------------------------------------------------------------------


def read_rows(data: bytes, filename: str = "") -> list[Row]:
    """The rows of a CSV or .xlsx file, with their line numbers; the header is
    checked here. Raises ImportRejected."""
    if len(data) > MAX_BYTES:
        raise ImportRejected(
            [
                _error(
                    1,
                    "file",
                    _("The file is larger than %(n)s MB. Split it into smaller files.", n=MAX_BYTES // (1024 * 1024)),
                )
            ],
            status=413,
        )
    if not data.strip():
        raise ImportRejected([_error(1, "file", _("The file is empty."))])
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        table = _read_xlsx(data)
    else:
        table = _read_csv(data)
    if not table:
        raise ImportRejected([_error(1, "file", _("The file is empty."))])
    (header_line, header), body = table[0], table[1:]
    columns = _check_header(header)
    rows = []
    for line, cells in body:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            raise ImportRejected([_error(line, "file", _("This line has more cells than the header has columns."))])
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(columns) if name}
        rows.append(Row(line, values))
    if not rows:
        raise ImportRejected([_error(header_line, "file", _("The file has a header but no participants."))])
    if len(rows) > MAX_ROWS:
        raise ImportRejected(
            [_error(rows[MAX_ROWS].line, "file", _("At most %(n)s participants per file.", n=MAX_ROWS))], status=413
        )
    return rows


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected(
            [
                _error(
                    line,
                    "file",
                    _('The file is not in UTF-8. In Excel choose "CSV UTF-8 (Comma delimited)" when saving.'),
                )
            ]
        ) from None
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    table = []
    line = 1
    try:
        for cells in reader:
            table.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportRejected(
            [_error(reader.line_num or line, "file", _("This line cannot be read: %(problem)s", problem=str(exc)))]
        ) from None
    return table


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportRejected([_error(1, "file", _("This is not a readable .xlsx file."))]) from None
    try:
        sheet = workbook.worksheets[0]
        table = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            table.append((number, [_cell_text(v) for v in row]))
        return table
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_header(header: list[str]) -> list[str]:
    columns, errors = [], []
    for cell in header:
        name = cell.strip().lstrip("\ufeff").strip().lower()
        name = ALIASES.get(name, name.replace(" ", "_"))
        if not name:
            columns.append("")
        elif name not in COLUMNS:
            errors.append(
                _error(
                    1,
                    cell.strip() or "?",
                    _(
                        "Unknown column %(name)s. The columns are: %(columns)s.",
                        name=cell.strip(),
                        columns=", ".join(COLUMNS),
                    ),
                )
            )
            columns.append("")
        elif name in columns:
            errors.append(_error(1, name, _("The column %(name)s appears twice.", name=name)))
            columns.append("")
        else:
            columns.append(name)
    for name in REQUIRED:
        if name not in columns:
            errors.append(
                _error(
                    1,
                    name,
                    _(
                        "The header has no column %(name)s. The first line must name the columns: %(columns)s.",
                        name=name,
                        columns=",".join(COLUMNS[:7]),
                    ),
                )
            )
    if errors:
        raise ImportRejected(errors)
    return columns


# -- checking --------------------------------------------------------------------


def participant_type_code(value: str) -> str | None:
    """The code for a participant type given as code, Indonesian or English label."""
    key = " ".join(value.strip().lower().replace("_", " ").split())
    if not key:
        return None
    for code, label in PARTICIPANT_TYPES.items():
        if key == code.replace("_", " ") or key == str(label).lower():
            return code
    return PARTICIPANT_TYPES_ID.get(key)


def plan_import(cohort: Cohort, rows: list[Row]) -> Plan:
    """Check every row against the rules and the database; raise
    ImportRejected with every error, or return what the import will do."""
    require_open(cohort)
    errors: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    emails = [User.normalise_email(r.values.get("email", "")) for r in rows]
    existing = {
        u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_([e for e in emails if e] or [""])))
    }
    enrolled = {
        uid: role
        for uid, role in db.session.execute(
            sa.select(Enrolment.user_id, Enrolment.role).where(Enrolment.cohort_id == cohort.id)
        )
    }
    planned = []
    for row, email in zip(rows, emails, strict=False):
        v, line = row.values, row.line
        problems = []
        name = v.get("name", "")
        if not name:
            problems.append(_error(line, "name", _("A name is required.")))
        for key, limit in LIMITS.items():
            if len(v.get(key, "")) > limit:
                problems.append(_error(line, key, _("At most %(n)s characters.", n=limit)))
        if not email:
            problems.append(_error(line, "email", _("An email address is required.")))
        elif not accounts.valid_email(email):
            problems.append(_error(line, "email", _("%(email)s is not a valid email address.", email=email)))
        elif email in seen:
            problems.append(
                _error(line, "email", _("%(email)s is also on line %(line)s.", email=email, line=seen[email]))
            )
        else:
            seen[email] = line
        person = existing.get(email)
        role = v.get("role", "").strip().lower()
        if role and role not in ROLES:
            problems.append(
                _error(line, "role", _("Unknown role %(role)s: use trainee, trainer or organizer.", role=v.get("role")))
            )
        if not role:
            role = person.role if person is not None else "trainee"
        elif person is not None and person.role != role:
            problems.append(
                _error(
                    line,
                    "role",
                    _(
                        "%(email)s already has the role %(role)s in Lentera; an import does not change roles.",
                        email=email,
                        role=person.role,
                    ),
                )
            )
        ptype = participant_type_code(v.get("participant_type", ""))
        if v.get("participant_type") and ptype is None:
            problems.append(
                _error(
                    line, "participant_type", _("Unknown participant type %(type)s.", type=v.get("participant_type"))
                )
            )
        elif role == "trainee" and ptype is None and (person is None or not person.participant_type):
            problems.append(_error(line, "participant_type", _("A participant type is required for trainees.")))
        if not v.get("library") and (v.get("province") or v.get("regency") or v.get("village")):
            problems.append(
                _error(line, "library", _("Name the library: the province and regency are kept with the library."))
            )
        if (
            person is not None
            and person.id in enrolled
            and enrolled[person.id] != role
            and role in ("trainee", "trainer")
        ):
            problems.append(
                _error(
                    line,
                    "role",
                    _("%(email)s is already in this cohort as %(role)s.", email=email, role=enrolled[person.id]),
                )
            )
        if problems:
            errors.extend(problems)
            continue
        item = Planned(
            line=line,
            name=name,
            email=email,
            role=role,
            participant_type=ptype,
            library=v.get("library", ""),
            village=v.get("village", ""),
            regency=v.get("regency", ""),
            province=v.get("province", ""),
            group=v.get("group", ""),
            existing=person,
            enrol=role in ("trainee", "trainer") and (person is None or person.id not in enrolled),
        )
        if person is not None:
            item.changes = _changes(person, item)
        planned.append(item)
    if errors:
        raise ImportRejected(errors)
    return Plan(cohort, planned)


def _changes(person: User, item: Planned) -> list[str]:
    changes = []
    if item.name != person.name:
        changes.append("name")
    if item.participant_type and item.participant_type != person.participant_type:
        changes.append("participant_type")
    library = person.library
    if item.library and (
        library is None
        or (library.name, library.village, library.regency, library.province)
        != (item.library, item.village, item.regency, item.province)
    ):
        changes.append("library")
    return changes


# -- writing ---------------------------------------------------------------------


def _library_kind(participant_type: str | None) -> str:
    if participant_type and participant_type.startswith("provincial"):
        return "province"
    if participant_type and participant_type.startswith("district"):
        return "regency"
    return "village"


def apply_import(plan: Plan, organizer: User) -> list[tuple[User, str]]:
    """Write the plan: create and update people, enrol them, make invitations
    for the new ones. Returns (person, invitation link) for each new person."""
    cohort = plan.cohort
    libraries: dict[tuple[str, str, str, str], Any] = {}
    groups = {}
    invitations = []
    for item in plan.rows:
        library = None
        if item.library:
            key = (item.library, item.village, item.regency, item.province)
            if key not in libraries:
                libraries[key] = accounts.find_or_create_library(
                    item.library,
                    village=item.village,
                    regency=item.regency,
                    province=item.province,
                    kind=_library_kind(item.participant_type),
                )
            library = libraries[key]
        person = item.existing
        if person is None:
            person = accounts.create_user(
                name=item.name,
                email=item.email,
                role=item.role,
                participant_type=item.participant_type,
                library=library,
            )
            raw = accounts.create_invitation(person, created_by=organizer)
            invitations.append((person, accounts.invitation_url(raw)))
        else:
            person.name = item.name
            if item.participant_type:
                person.participant_type = item.participant_type
            if library is not None:
                person.library = library
        if item.enrol:
            db.session.add(
                Enrolment(
                    cohort_id=cohort.id,
                    user_id=person.id,
                    role="trainer" if item.role == "trainer" else "trainee",
                    group_name=item.group if item.role == "trainee" else "",
                )
            )
        elif item.group and item.role == "trainee":
            groups[person.id] = item.group
    db.session.flush()
    if groups:
        for enrolment in db.session.scalars(
            sa.select(Enrolment).where(Enrolment.cohort_id == cohort.id, Enrolment.user_id.in_(list(groups)))
        ):
            enrolment.group_name = groups[enrolment.user_id]
        db.session.flush()
    return invitations


def send_invitations(invitations: list[tuple[User, str]]) -> bool:
    """Email each new person their link, when SMTP is configured (after the commit)."""
    if not mail.smtp_configured():
        return False
    for person, link in invitations:
        mail.send_mail(
            person.email, _("Your Lentera account"), _("Open this link to set your password: %(url)s", url=link)
        )
    return True


def template_csv() -> str:
    return ",".join(COLUMNS) + "\r\n"


def template_xlsx() -> bytes:
    """The header on the first sheet; what each column takes on the second."""

    book = Workbook()
    sheet = book.active
    sheet.title = "Peserta"
    sheet.append(list(COLUMNS))
    notes = book.create_sheet("Petunjuk")
    notes.append(["column", "what to write"])
    notes.append(["name", "Full name (required)"])
    notes.append(["email", "Email address, unique (required)"])
    notes.append(["role", "trainee (default), trainer or organizer"])
    notes.append(["participant_type", "Required for trainees; one of:"])
    for code, label in PARTICIPANT_TYPES.items():
        notes.append(["", f"{code} / {label}"])
    notes.append(["province, regency, village, library", "Where the participant works"])
    notes.append(["group", "Optional named group in the cohort (e.g. Kelas A)"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
