"""One unit of work per request and per command (lms.uow): a commit at the end
of a good request, a rollback of everything on an error, mail only after the
commit, and savepoints for a service call whose error a page shows."""

from __future__ import annotations

import click
import pytest
import sqlalchemy as sa
from flask import Blueprint, abort, jsonify

from lms import mail, uow
from lms.accounts import services as accounts
from lms.accounts.models import Library
from lms.errors import Invalid
from lms.extensions import db
from tests.smtp_server import SMTPServer


def _library_names() -> list[str]:
    db.session.rollback()  # read what is committed, not this session's snapshot
    return sorted(db.session.scalars(sa.select(Library.name)))


@pytest.fixture
def probe(app):
    """Routes that write a library and then end in different ways."""
    bp = Blueprint("probe", __name__)

    def write(name: str) -> None:
        accounts.find_or_create_library(name)
        db.session.flush()

    @bp.post("/probe/ok/<name>")
    def ok(name):
        write(name)
        mail.send_mail("someone@example.org", "committed", f"library {name}")
        return jsonify(done=True)

    @bp.post("/probe/crash/<name>")
    def crash(name):
        write(name)
        mail.send_mail("someone@example.org", "never", "rolled back")
        raise RuntimeError("boom")

    @bp.post("/probe/refuse/<name>")
    def refuse(name):
        write(name)
        mail.send_mail("someone@example.org", "never", "refused")
        abort(409)

    @bp.post("/probe/partial/<name>")
    def partial(name):
        write(name)
        try:
            with uow.attempt():
                write(name + " (failed part)")
                raise Invalid("the second half is refused")
        except Invalid:
            pass
        return jsonify(done=True)

    app.register_blueprint(bp)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_a_good_request_commits_and_then_sends_its_mail(probe, client):
    with SMTPServer() as smtp:
        probe.config.update(LMS_SMTP_HOST="127.0.0.1", LMS_SMTP_PORT=smtp.port)
        assert client.post("/probe/ok/Pustaka Ceria").status_code == 200
    assert _library_names() == ["Pustaka Ceria"]
    assert [m["Subject"] for m in smtp.messages] == ["committed"]


@pytest.mark.parametrize("route, status", [("crash", 500), ("refuse", 409)])
def test_an_error_rolls_back_everything_and_sends_nothing(probe, client, route, status):
    with SMTPServer() as smtp:
        probe.config.update(LMS_SMTP_HOST="127.0.0.1", LMS_SMTP_PORT=smtp.port)
        assert client.post(f"/probe/{route}/Pustaka Hilang").status_code == status
    assert _library_names() == []
    assert smtp.messages == []


def test_a_failed_attempt_undoes_only_its_own_part(probe, client):
    assert client.post("/probe/partial/Pustaka Separuh").status_code == 200
    assert _library_names() == ["Pustaka Separuh"]


def test_a_command_is_one_unit_of_work(app):
    @click.command("probe-ok")
    @uow.command
    def ok():
        accounts.find_or_create_library("Dari Perintah")

    @click.command("probe-fail")
    @uow.command
    def fail():
        accounts.find_or_create_library("Gagal")
        db.session.flush()
        raise click.ClickException("stop")

    runner = app.test_cli_runner()
    assert runner.invoke(fail).exit_code == 1
    assert runner.invoke(ok).exit_code == 0
    assert _library_names() == ["Dari Perintah"]


def test_a_mail_that_fails_after_the_commit_keeps_the_data(probe, client):
    # Nothing listens on this port: delivery fails, but the request is done.
    probe.config.update(LMS_SMTP_HOST="127.0.0.1", LMS_SMTP_PORT=9)
    assert client.post("/probe/ok/Tetap Tersimpan").status_code == 200
    assert _library_names() == ["Tetap Tersimpan"]
