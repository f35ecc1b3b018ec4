"""attempt presentation: the questions drawn and the order of choices and options, per attempt

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 10:00:00.000000

Attempts begun before this revision keep no presentation (NULL): they are shown with every
question, in the order the quiz was written.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('presentation', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_column('presentation')
