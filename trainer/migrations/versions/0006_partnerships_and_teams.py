"""partnerships and teams: organisations grouped into partnerships, people into teams

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 21:15:00

"""

from alembic import op
import sqlalchemy as sa
import trainer.models.types
from trainer.migrations.sqlite_rebuild import foreign_keys_off


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


# Foreign keys off while SQLite rebuilds `user` and `organisation` to add their foreign
# keys: dropping the old tables would otherwise delete everything that refers to them.
def upgrade():
    with foreign_keys_off():
        _upgrade()


def downgrade():
    with foreign_keys_off():
        _downgrade()


def _upgrade():
    op.create_table(
        'partnership',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_at', trainer.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'team',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('organisation_id', 'name'),
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_organisation_id'), ['organisation_id'], unique=False)
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partnership_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_organisation_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_organisation_partnership_id', 'partnership', ['partnership_id'], ['id'], ondelete='SET NULL'
        )
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_team_id'), ['team_id'], unique=False)
        batch_op.create_foreign_key('fk_user_team_id', 'team', ['team_id'], ['id'], ondelete='SET NULL')


def _downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_constraint('fk_user_team_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_user_team_id'))
        batch_op.drop_column('team_id')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_organisation_partnership_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_organisation_partnership_id'))
        batch_op.drop_column('partnership_id')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_organisation_id'))
    op.drop_table('team')
    op.drop_table('partnership')
