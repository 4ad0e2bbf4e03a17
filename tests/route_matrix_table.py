"""The route × role table of tests/test_route_matrix.py: for every route of
`app.url_map` (endpoint and method), one or more requests, and the status each
role must get: (anonymous, trainee of cohort A, trainee of cohort B, trainer of
cohort A, organizer, admin).

Read each row as a decision:

- LOGIN: a redirect to the sign-in page (a web page, anonymous); 401 on the API.
- 403: the role may not use the page at all.
- 404: the object is someone else's (its existence is not confirmed), or it is
  not there for this person (a module of another cohort).
- 400 / 422: the role is allowed and the empty (or minimal) body is refused.
- 200 / 201 / 302: the role is allowed; a POST that succeeds redirects.
- same(302): the answer is 302 *and the database is exactly as before*: the
  request is answered, but it must not touch another person's object.
- defect(status, why): the status the app *should* give; it gives another one
  today. The pair is a strict xfail, so it fails the day the app is fixed.

Any status of 400 or more, and LOGIN, must also leave the database as it was.

The objects in the URLs (tests/test_route_matrix.py, `build_world`):

- cohort_a: toy-writing; trainee_a; trainer_a with a province scope (scope_a).
- cohort_b: easy-writing; trainee_b; another trainer (not a role of the matrix)
  with scope_b. Both trainees live in the same province, so only the cohort
  separates them.
- cohort_c: archived; that other trainer with scope_c; no trainees.
- sub_a/file_a: trainee A's story (released, 9/10), with a photo attached;
  cert_a: trainee A's certificate of cohort A. sub_b/file_b: trainee B's
  assignment in easy-writing, graded but not released.
- lib_a: trainee A's library; post_pub (published) and post_draft (a draft,
  key draft_key) of lib_a, each with a photo (photo_pub, photo_draft).
- token_a: an API token of trainee A; invite: a valid invitation link.

Requests run against the same data; a request that changes it is followed by
a restore, so no row depends on another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ROLES = ("anonymous", "trainee_a", "trainee_b", "trainer_a", "organizer", "admin")
LOGIN = "login"


@dataclass(frozen=True)
class Same:
    """This status, and the database unchanged."""

    status: int


@dataclass(frozen=True)
class Defect:
    """What the app should answer (it answers something else today)."""

    expected: object
    why: str


def same(status: int) -> Same:
    return Same(status)


def defect(expected: object, why: str) -> Defect:
    return Defect(expected, why)


Body = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]] | None


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    url: str  # formatted with the world's ids: "/cohorts/{cohort_a}"
    expected: tuple[object, ...]
    note: str = ""
    form: Body = None  # a form body (POST and PUT send an empty form by default)
    json: Body = None  # a JSON body instead

    def __post_init__(self) -> None:
        assert len(self.expected) == len(ROLES), (self.endpoint, self.url)


# Minimal bodies where the object is checked only after the body (so that an
# empty body would hide whose object it is).
def _grade_form_b(w: dict[str, Any]) -> dict[str, Any]:
    return {**{f"c-{k}": str(v) for k, v in w["nine_b"].items()}, "version": str(w["version_b"]), "outcome": "save"}


def _grade_json_b(w: dict[str, Any]) -> dict[str, Any]:
    return {"version": w["version_b"], "criteria": w["nine_b"], "outcome": "save"}


def _regrade_json_a(w: dict[str, Any]) -> dict[str, Any]:
    return {"version": w["version_a"], "criteria": w["nine_a"], "outcome": "release"}


def _release_b(w: dict[str, Any]) -> dict[str, Any]:
    return {"submission": [str(w["sub_b"])]}


def _assign_trainer_a(w: dict[str, Any]) -> dict[str, Any]:
    return {"trainer": str(w["trainer_a"]), "kind": "cohort"}


def _issue_for_a(w: dict[str, Any]) -> dict[str, Any]:
    return {"user_id": str(w["trainee_a"])}


ARCHIVED = "an archived cohort keeps its members (cohorts.change_members): 409, as enrol and unenrol answer"
# expected: (anonymous, trainee_a, trainee_b, trainer_a, organizer, admin)
CASES: list[Case] = [
    # -- accounts ----------------------------------------------------------------
    Case("accounts.login", "GET", "/login", (200, 302, 302, 302, 302, 302), "signed in: to the dashboard"),
    Case("accounts.login", "POST", "/login", (200, 302, 302, 302, 302, 302), "an empty form shows the form again"),
    Case("accounts.logout", "POST", "/logout", (LOGIN, 302, 302, 302, 302, 302), "302 to /login, not ?next="),
    Case("accounts.set_language", "POST", "/language/en", (302, 302, 302, 302, 302, 302)),
    Case("accounts.accept_invitation", "GET", "/invite/not-a-token", (404,) * 6),
    Case("accounts.accept_invitation", "GET", "/invite/{invite}", (200,) * 6, "the link is the key"),
    Case("accounts.accept_invitation", "POST", "/invite/not-a-token", (404,) * 6),
    Case("accounts.accept_invitation", "POST", "/invite/{invite}", (200,) * 6, "no password: the form again"),
    Case("accounts.forgot_password", "GET", "/password/forgot", (200,) * 6),
    Case("accounts.forgot_password", "POST", "/password/forgot", (200,) * 6, "no address: the form again"),
    Case("accounts.profile", "GET", "/profile", (LOGIN, 200, 200, 200, 200, 200)),
    Case(
        "accounts.profile",
        "POST",
        "/profile",
        (LOGIN, 302, 302, 302, 302, 302),
        "an empty form keeps one's own values (Flask-WTF falls back to the object)",
    ),
    Case("accounts.change_password", "POST", "/profile/password", (LOGIN, 302, 302, 302, 302, 302)),
    Case("accounts.create_token", "POST", "/profile/tokens", (LOGIN, 302, 302, 302, 302, 302)),
    Case(
        "accounts.revoke_token",
        "POST",
        "/profile/tokens/{token_a}/revoke",
        (LOGIN, 302, same(302), same(302), same(302), same(302)),
        "only its owner revokes a token; for anyone else it stays as it is",
    ),
    # -- learning ----------------------------------------------------------------
    Case("learning.dashboard", "GET", "/", (LOGIN, 200, 200, 200, 200, 200)),
    Case("learning.catalogue", "GET", "/courses", (LOGIN, 200, 200, 200, 200, 200)),
    Case(
        "learning.course",
        "GET",
        "/courses/toy-writing",
        (LOGIN, 200, 404, 200, 200, 200),
        "cohort A's module; staff open every module",
    ),
    Case("learning.course", "GET", "/courses/easy-writing", (LOGIN, 404, 200, 200, 200, 200), "cohort B's module"),
    Case("learning.activity", "GET", "/courses/toy-writing/story", (LOGIN, 200, 404, 200, 200, 200)),
    Case(
        "learning.activity",
        "POST",
        "/courses/toy-writing/intro",
        (LOGIN, 302, 404, 302, 302, 302),
        "marks the lesson read for the caller (staff: their own progress)",
    ),
    Case(
        "learning.course_file",
        "GET",
        "/courses/toy-writing/files/assets/pyramid.svg",
        (LOGIN, 200, 404, 200, 200, 200),
    ),
    Case("learning.resume", "GET", "/courses/toy-writing/next", (LOGIN, 302, 404, 302, 302, 302)),
    # -- grading -----------------------------------------------------------------
    Case(
        "grading.autosave",
        "POST",
        "/courses/toy-writing/story/draft",
        (401, 400, 404, 400, 400, 400),
        "the module is checked before the body",
    ),
    Case(
        "grading.compare",
        "GET",
        "/courses/toy-writing/story/compare?a=1&b=1",
        (LOGIN, 200, 404, 404, 404, 404),
        "one's own attempts only",
    ),
    Case("grading.download", "GET", "/submissions/{sub_a}/files/{file_a}", (LOGIN, 200, 404, 200, 200, 200)),
    Case(
        "grading.download",
        "GET",
        "/submissions/{sub_b}/files/{file_b}",
        (LOGIN, 404, 200, 404, 200, 200),
        "cohort B's work: not trainer A's",
    ),
    Case(
        "grading.download",
        "GET",
        "/submissions/{sub_b}/files/{file_a}",
        (LOGIN, 404, 404, 404, 404, 404),
        "a file under another submission's id",
    ),
    Case("grading.queue", "GET", "/grading", (LOGIN, 403, 403, 200, 200, 200)),
    Case("grading.grade", "GET", "/grading/submissions/{sub_a}", (LOGIN, 403, 403, 200, 200, 200)),
    Case("grading.grade", "GET", "/grading/submissions/{sub_b}", (LOGIN, 403, 403, 404, 200, 200)),
    Case(
        "grading.grade",
        "POST",
        "/grading/submissions/{sub_a}",
        (LOGIN, 403, 403, 422, 403, 422),
        "organizers read grades but do not grade; an empty grade is refused",
    ),
    Case(
        "grading.grade",
        "POST",
        "/grading/submissions/{sub_b}",
        (LOGIN, 403, 403, 404, 403, 302),
        "a whole grade of trainee B's work: not trainer A's to grade",
        form=_grade_form_b,
    ),
    Case(
        "grading.bulk_release",
        "POST",
        "/grading/release",
        (LOGIN, 403, 403, same(302), 403, 302),
        "releasing trainee B's graded work: trainer A's release skips it",
        form=_release_b,
    ),
    Case("grading.read_notifications", "POST", "/notifications/read", (LOGIN, 302, 302, 302, 302, 302)),
    # -- cohorts -----------------------------------------------------------------
    Case("cohorts.index", "GET", "/cohorts/", (LOGIN, 403, 403, 200, 200, 200)),
    Case("cohorts.show", "GET", "/cohorts/{cohort_a}", (LOGIN, 403, 403, 200, 200, 200)),
    Case("cohorts.show", "GET", "/cohorts/{cohort_b}", (LOGIN, 403, 403, 404, 200, 200)),
    Case("cohorts.create", "GET", "/cohorts/new", (LOGIN, 403, 403, 403, 200, 200)),
    Case("cohorts.create", "POST", "/cohorts/new", (LOGIN, 403, 403, 403, 200, 200), "no name: the form again"),
    Case("cohorts.edit", "GET", "/cohorts/{cohort_a}/edit", (LOGIN, 403, 403, 403, 200, 200)),
    Case("cohorts.edit", "POST", "/cohorts/{cohort_a}/edit", (LOGIN, 403, 403, 403, 200, 200)),
    Case("cohorts.dashboard", "GET", "/cohorts/{cohort_a}/dashboard", (LOGIN, 403, 403, 200, 200, 200)),
    Case("cohorts.dashboard", "GET", "/cohorts/{cohort_b}/dashboard", (LOGIN, 403, 403, 404, 200, 200)),
    Case("cohorts.at_risk", "GET", "/cohorts/{cohort_a}/at-risk", (LOGIN, 403, 403, 200, 200, 200)),
    Case("cohorts.at_risk", "GET", "/cohorts/{cohort_b}/at-risk", (LOGIN, 403, 403, 404, 200, 200)),
    Case("cohorts.export", "GET", "/cohorts/{cohort_a}/export/completion.csv", (LOGIN, 403, 403, 200, 200, 200)),
    Case("cohorts.export", "GET", "/cohorts/{cohort_b}/export/gradebook.xlsx", (LOGIN, 403, 403, 404, 200, 200)),
    Case("cohorts.import_participants", "GET", "/cohorts/{cohort_a}/import", (LOGIN, 403, 403, 403, 200, 200)),
    Case("cohorts.import_participants", "POST", "/cohorts/{cohort_a}/import", (LOGIN, 403, 403, 403, 200, 200)),
    Case(
        "cohorts.confirm_import",
        "POST",
        "/cohorts/{cohort_a}/import/confirm",
        (LOGIN, 403, 403, 403, 302, 302),
        "no preview: back to the upload",
    ),
    Case("cohorts.import_template", "GET", "/cohorts/import-template.csv", (LOGIN, 403, 403, 403, 200, 200)),
    Case("cohorts.reminder_history", "GET", "/cohorts/{cohort_a}/reminders", (LOGIN, 403, 403, 403, 200, 200)),
    Case(
        "cohorts.compose_reminders",
        "POST",
        "/cohorts/{cohort_a}/reminders/compose",
        (LOGIN, 403, 403, 403, 302, 302),
        "nobody chosen: back to the at-risk list",
    ),
    Case("cohorts.send_reminders", "POST", "/cohorts/{cohort_a}/reminders/send", (LOGIN, 403, 403, 403, 302, 302)),
    Case("cohorts.enrol", "POST", "/cohorts/{cohort_a}/enrol", (LOGIN, 403, 403, 403, 302, 302)),
    Case("cohorts.enrol", "POST", "/cohorts/{cohort_c}/enrol", (LOGIN, 403, 403, 403, 409, 409), "archived"),
    Case("cohorts.unenrol", "POST", "/cohorts/{cohort_a}/unenrol/{trainee_a}", (LOGIN, 403, 403, 403, 302, 302)),
    Case(
        "cohorts.unenrol",
        "POST",
        "/cohorts/{cohort_c}/unenrol/{trainee_a}",
        (LOGIN, 403, 403, 403, 409, 409),
        "archived",
    ),
    Case(
        "cohorts.assign_trainer",
        "POST",
        "/cohorts/{cohort_a}/trainers",
        (LOGIN, 403, 403, 403, 302, 302),
        "no trainer chosen: back to the page",
    ),
    Case(
        "cohorts.assign_trainer",
        "POST",
        "/cohorts/{cohort_c}/trainers",
        (LOGIN, 403, 403, 403, 409, 409),
        "trainer A for the whole of the archived cohort C",
        form=_assign_trainer_a,
    ),
    Case(
        "cohorts.remove_scope",
        "POST",
        "/cohorts/{cohort_a}/trainers/scopes/{scope_a}/remove",
        (LOGIN, 403, 403, 403, 302, 302),
    ),
    Case(
        "cohorts.remove_scope",
        "POST",
        "/cohorts/{cohort_a}/trainers/scopes/{scope_b}/remove",
        (LOGIN, 403, 403, 403, 404, 404),
        "a scope of cohort B under cohort A's id",
    ),
    Case(
        "cohorts.remove_scope",
        "POST",
        "/cohorts/{cohort_c}/trainers/scopes/{scope_c}/remove",
        (LOGIN, 403, 403, 403, 409, 409),
    ),
    Case("cohorts.set_group", "POST", "/cohorts/{cohort_a}/people/{trainee_a}/group", (LOGIN, 403, 403, 403, 302, 302)),
    Case(
        "cohorts.set_group",
        "POST",
        "/cohorts/{cohort_a}/people/{trainee_b}/group",
        (LOGIN, 403, 403, 403, 404, 404),
        "trainee B is not in cohort A",
    ),
    Case("cohorts.archive", "POST", "/cohorts/{cohort_a}/archive", (LOGIN, 403, 403, 403, 302, 302)),
    Case("cohorts.create_person", "GET", "/cohorts/people/new", (LOGIN, 403, 403, 403, 200, 200)),
    Case("cohorts.create_person", "POST", "/cohorts/people/new", (LOGIN, 403, 403, 403, 200, 200)),
    Case("cohorts.reset_link", "POST", "/cohorts/people/{trainee_a}/reset-link", (LOGIN, 403, 403, 403, 200, 200)),
    Case(
        "cohorts.reset_link",
        "POST",
        "/cohorts/people/{admin}/reset-link",
        (
            LOGIN,
            403,
            403,
            403,
            403,
            200,
        ),
        "the admin's password",
    ),
    # -- certificates ------------------------------------------------------------
    Case("certificates.verify", "GET", "/verify", (200,) * 6, "public"),
    Case("certificates.verify", "GET", "/verify/{cert_a}", (200,) * 6, "public"),
    Case(
        "certificates.download",
        "GET",
        "/certificates/{cert_a}.pdf",
        (LOGIN, 200, 404, 404, 200, 200),
        "its holder and the organizers",
    ),
    Case(
        "certificates.issue",
        "POST",
        "/certificates/cohort/{cohort_a}/issue",
        (LOGIN, 302, 404, 404, 404, 404),
        "for oneself: only trainee A is a participant of cohort A (and has it already)",
    ),
    Case(
        "certificates.issue",
        "POST",
        "/certificates/cohort/{cohort_a}/issue",
        (LOGIN, 302, 404, 404, 302, 302),
        "for trainee A: organizers may; anyone else gets their own (none)",
        form=_issue_for_a,
    ),
    Case("certificates.manage", "GET", "/certificates/cohort/{cohort_a}", (LOGIN, 403, 403, 403, 200, 200)),
    Case(
        "certificates.issue_all", "POST", "/certificates/cohort/{cohort_a}/issue-all", (LOGIN, 403, 403, 403, 302, 302)
    ),
    Case("certificates.revoke", "POST", "/certificates/{cert_a}/revoke", (LOGIN, 403, 403, 403, 302, 302)),
    # -- libraries ---------------------------------------------------------------
    Case("libraries.feed", "GET", "/libraries/", (LOGIN, 200, 200, 200, 200, 200)),
    Case("libraries.leaderboard", "GET", "/libraries/leaderboard", (LOGIN, 200, 200, 200, 200, 200)),
    Case("libraries.library", "GET", "/libraries/{lib_a}", (LOGIN, 200, 200, 200, 200, 200), "published work"),
    Case("libraries.report", "GET", "/libraries/{lib_a}/report.csv", (LOGIN, 200, 200, 200, 200, 200)),
    Case("libraries.mine", "GET", "/libraries/mine", (LOGIN, 302, 302, 302, 302, 302)),
    Case("libraries.post", "GET", "/libraries/posts/{post_pub}", (LOGIN, 200, 200, 200, 200, 200)),
    Case(
        "libraries.post",
        "GET",
        "/libraries/posts/{post_draft}",
        (LOGIN, 200, 404, 404, 404, 404),
        "a draft: the library's people only",
    ),
    Case(
        "libraries.new_post",
        "GET",
        "/libraries/posts/new",
        (LOGIN, 200, 200, 302, 302, 302),
        "staff have no library: to the feed",
    ),
    Case(
        "libraries.new_post",
        "POST",
        "/libraries/posts/new",
        (LOGIN, 302, 302, 302, 302, 302),
        "a trainee starts an (empty) draft of their own library; staff go to the feed",
    ),
    Case("libraries.edit_post", "GET", "/libraries/posts/{post_pub}/edit", (LOGIN, 200, 404, 404, 404, 404)),
    Case("libraries.edit_post", "GET", "/libraries/posts/{post_draft}/edit", (LOGIN, 200, 404, 404, 404, 404)),
    Case("libraries.edit_post", "POST", "/libraries/posts/{post_pub}/edit", (LOGIN, 422, 404, 404, 404, 404)),
    Case(
        "libraries.delete_post",
        "POST",
        "/libraries/posts/{post_pub}/delete",
        (LOGIN, 302, 404, 404, 302, 302),
        "colleagues, and organizers to take down what is published",
    ),
    Case(
        "libraries.delete_post",
        "POST",
        "/libraries/posts/{post_draft}/delete",
        (
            LOGIN,
            302,
            404,
            404,
            404,
            404,
        ),
    ),
    Case(
        "libraries.autosave",
        "POST",
        "/libraries/posts/autosave/{draft_key}",
        (401, 200, 404, 404, 404, 404),
        "the story of trainee A's draft, by its key",
        json={"text": "Teks baru"},
    ),
    Case("libraries.photo", "GET", "/libraries/photos/{photo_pub}/thumb", (LOGIN, 200, 200, 200, 200, 200)),
    Case("libraries.photo", "GET", "/libraries/photos/{photo_draft}", (LOGIN, 200, 404, 404, 404, 404), "a draft's"),
    Case(
        "libraries.mentoring_list",
        "GET",
        "/libraries/mentoring",
        (LOGIN, 404, 404, 404, 200, 200),
        "organizers and facilitators",
    ),
    Case(
        "libraries.library_mentoring",
        "GET",
        "/libraries/{lib_a}/mentoring",
        (LOGIN, 200, 404, 404, 200, 200),
        "the library's people, its mentors and organizers",
    ),
    Case(
        "libraries.library_mentoring",
        "POST",
        "/libraries/{lib_a}/mentoring",
        (LOGIN, 404, 404, 404, 422, 422),
        "notes: mentors and organizers",
    ),
    Case("libraries.mentors", "GET", "/libraries/mentors", (LOGIN, 403, 403, 403, 200, 200)),
    Case("libraries.mentor", "GET", "/libraries/mentors/{trainee_a}", (LOGIN, 403, 403, 403, 200, 200)),
    Case("libraries.mentor", "POST", "/libraries/mentors/{trainee_a}", (LOGIN, 403, 403, 403, 302, 302)),
    Case("libraries.settings", "GET", "/libraries/settings", (LOGIN, 403, 403, 403, 200, 200)),
    Case("libraries.settings", "POST", "/libraries/settings", (LOGIN, 403, 403, 403, 422, 422)),
    # -- API (a bearer token per role; anonymous sends none) --------------------
    Case("api.openapi", "GET", "/api/v1/openapi.json", (200,) * 6, "public"),
    Case("api.me", "GET", "/api/v1/me", (401, 200, 200, 200, 200, 200)),
    Case("api.courses", "GET", "/api/v1/courses", (401, 200, 200, 200, 200, 200)),
    Case(
        "api.my_progress",
        "GET",
        "/api/v1/me/progress",
        (401, 200, 200, 403, 403, 200),
        "trainees (admins pass every role)",
    ),
    Case("api.list_submissions", "GET", "/api/v1/submissions", (401, 403, 403, 200, 200, 200)),
    Case("api.get_submission", "GET", "/api/v1/submissions/{sub_a}", (401, 200, 404, 200, 200, 200)),
    Case("api.get_submission", "GET", "/api/v1/submissions/{sub_b}", (401, 404, 200, 404, 200, 200)),
    Case("api.put_grade", "PUT", "/api/v1/submissions/{sub_a}/grade", (401, 403, 403, 400, 403, 400), "empty body"),
    Case(
        "api.put_grade",
        "PUT",
        "/api/v1/submissions/{sub_a}/grade",
        (401, 403, 403, 200, 403, 200),
        "a regrade of trainee A's work",
        json=_regrade_json_a,
    ),
    Case(
        "api.put_grade",
        "PUT",
        "/api/v1/submissions/{sub_b}/grade",
        (401, 403, 403, 404, 403, 200),
        "trainee B's work: not trainer A's to grade",
        json=_grade_json_b,
    ),
    Case("api.list_cohorts", "GET", "/api/v1/cohorts", (401, 403, 403, 200, 200, 200)),
    Case("api.cohort_completion", "GET", "/api/v1/cohorts/{cohort_a}/completion", (401, 403, 403, 200, 200, 200)),
    Case("api.cohort_completion", "GET", "/api/v1/cohorts/{cohort_b}/completion", (401, 403, 403, 404, 200, 200)),
    Case(
        "api.import_participants",
        "POST",
        "/api/v1/cohorts/{cohort_a}/participants",
        (401, 403, 403, 403, 400, 400),
        "no CSV body",
    ),
    Case("api.library_leaderboard", "GET", "/api/v1/libraries/leaderboard", (401, 200, 200, 200, 200, 200)),
    Case(
        "api.activity_complete",
        "POST",
        "/api/v1/courses/toy-writing/activities/intro/complete",
        (401, 200, 404, 403, 403, 200),
        "cohort A's lesson",
    ),
    Case(
        "api.activity_attempts",
        "POST",
        "/api/v1/courses/toy-writing/activities/post-test/attempts",
        (401, 400, 404, 403, 403, 400),
    ),
    Case(
        "api.activity_submissions",
        "POST",
        "/api/v1/courses/toy-writing/activities/story/submissions",
        (401, 400, 404, 403, 403, 400),
    ),
]
