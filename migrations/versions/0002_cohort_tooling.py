"""Organizer tooling: cohort management, reminders, certificates

Revision ID: 0002_cohort_tooling
Revises: 9666a1355f07
"""
from alembic import op
import sqlalchemy as sa
import lms.extensions


# revision identifiers, used by Alembic.
revision = '0002_cohort_tooling'
down_revision = '9666a1355f07'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
