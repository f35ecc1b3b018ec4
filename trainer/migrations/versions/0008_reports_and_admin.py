"""reports and admin: who leads what, anonymous completions of deleted accounts, imports

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import trainer.models.types


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('lead_scope',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('partnership_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(organisation_id IS NULL) <> (partnership_id IS NULL)', name='one_kind_of_scope'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'organisation_id'),
    sa.UniqueConstraint('user_id', 'partnership_id')
    )
    with op.batch_alter_table('lead_scope', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lead_scope_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_scope_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lead_scope_user_id'), ['user_id'], unique=False)

    op.create_table('anonymous_completion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('course_id', sa.String(length=120), nullable=False),
    sa.Column('completed_at', trainer.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('refresher_due', sa.Date(), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('completion_id')
    )
    with op.batch_alter_table('anonymous_completion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_anonymous_completion_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', trainer.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('imported_at', trainer.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade():
    op.drop_table('import_batch')
    with op.batch_alter_table('anonymous_completion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_anonymous_completion_organisation_id'))

    op.drop_table('anonymous_completion')
    with op.batch_alter_table('lead_scope', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lead_scope_user_id'))
        batch_op.drop_index(batch_op.f('ix_lead_scope_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_lead_scope_organisation_id'))

    op.drop_table('lead_scope')
