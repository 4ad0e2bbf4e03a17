"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from lms.extensions import db


def _diff():
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrations_produce_the_models_schema(app):
    db.drop_all()
    upgrade()
    assert _diff() == []


def test_migrations_go_down_and_up_again(app):
    db.drop_all()
    upgrade()
    downgrade(revision="base")
    upgrade()
    assert _diff() == []
