"""Library activity documentation, leaderboard, mentoring

Revision ID: 0003_library_documentation
Revises: 0002_cohort_tooling
"""
from alembic import op
import sqlalchemy as sa
import lms.extensions


# revision identifiers, used by Alembic.
revision = '0003_library_documentation'
down_revision = '0002_cohort_tooling'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
