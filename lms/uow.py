"""One unit of work per request and per command.

Every web request, API request and CLI command commits once at its end, or
rolls back on any error, here and nowhere else (as Indico's request handler
does). Services only `flush()`. Work that must wait for a successful commit
(mail today, background jobs later) is queued with `after_commit` and runs only
once the commit has succeeded; a rolled-back unit of work drops it.

A view that catches a service error and goes on to render a page (a form with
its error shown) wraps the service call in `attempt()`: a savepoint that is
rolled back when the service raises, so nothing the failed call flushed is
committed with the rest of the request.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_app_context
from flask.wrappers import Response

from lms.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
_QUEUE = "_lms_after_commit"


def after_commit(task: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run `task(*args, **kwargs)` once the current unit of work has committed."""
    g.setdefault(_QUEUE, []).append(functools.partial(task, *args, **kwargs))


@contextmanager
def attempt() -> Iterator[None]:
    """A savepoint around one service call: its changes are undone if it raises."""
    _begin_sqlite_transaction()
    savepoint = db.session.begin_nested()
    try:
        yield
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise
    else:
        if savepoint.is_active:
            savepoint.commit()


def _begin_sqlite_transaction() -> None:
    """pysqlite opens a transaction only before its first write, so a SAVEPOINT
    sent first would open one itself and its RELEASE would commit everything.
    Open the transaction explicitly first (SQLite only; PostgreSQL has one)."""
    dbapi_connection = db.session.connection().connection.dbapi_connection
    if isinstance(dbapi_connection, sqlite3.Connection) and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")


def _run_after_commit() -> None:
    tasks = g.pop(_QUEUE, [])
    for task in tasks:
        try:
            task()
        except Exception:  # the data is committed; a failed mail must not turn it into an error page
            current_app.logger.exception("After-commit task %r failed", task)


def _discard() -> None:
    db.session.rollback()
    g.pop(_QUEUE, None)


def finish(success: bool) -> None:
    """Commit (then run the queued tasks) or roll back (and drop them)."""
    if not success:
        _discard()
        return
    try:
        db.session.commit()
    except Exception:
        _discard()
        raise
    _run_after_commit()


def _finish_request(response: Response) -> Response:
    finish(response.status_code < 400)
    return response


def _teardown(exc: BaseException | None) -> None:
    # An error that escaped every handler never reached after_request.
    if exc is not None and has_app_context():
        _discard()


def init_unit_of_work(app: Flask) -> None:
    app.after_request(_finish_request)
    app.teardown_request(_teardown)


def command(func: F) -> F:
    """A CLI command as one unit of work: commit at the end, roll back on error."""

    @functools.wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
        except BaseException:
            finish(False)
            raise
        finish(True)
        return result

    return wrapped  # type: ignore[return-value]
