"""exact learning facts: reads and completions by cycle, one-time tokens on added activities

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:00:00.000000

Each module read and course completion gets its cycle (how many times the person had
completed the course before), and the database then holds one read per module and one
completion per course in each cycle. Rows stored twice by identical requests arriving
together are removed first, keeping the earliest:

- a completion less than a minute after the person's previous completion of the course
  repeats it (with its certificate and reminders);
- a read of a module already read in the same cycle repeats that read, and so does a read
  less than a minute after a completion of a module read in the cycle it completed.

A reflection written on a removed row moves to the row kept, unless that has one already.
"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa
import trainer.models.types
from trainer.migrations.sqlite_rebuild import foreign_keys_off


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

REPEAT_WINDOW = timedelta(minutes=1)  # the same as trainer.progress.REPEAT_WINDOW

module_read = sa.table(
    'module_read',
    sa.column('id', sa.Integer()),
    sa.column('user_id', sa.Integer()),
    sa.column('course_id', sa.String()),
    sa.column('module_id', sa.String()),
    sa.column('cycle', sa.Integer()),
    sa.column('read_at', trainer.models.types.UTCDateTime()),
)
course_completion = sa.table(
    'course_completion',
    sa.column('id', sa.Integer()),
    sa.column('user_id', sa.Integer()),
    sa.column('course_id', sa.String()),
    sa.column('cycle', sa.Integer()),
    sa.column('completed_at', trainer.models.types.UTCDateTime()),
)
certificate = sa.table('certificate', sa.column('completion_id', sa.Integer()))
reminder_sent = sa.table('reminder_sent', sa.column('completion_id', sa.Integer()))
reflection = sa.table(
    'reflection',
    sa.column('user_id', sa.Integer()),
    sa.column('entry_key', sa.String()),
)


# Foreign keys off while SQLite rebuilds the tables: with them on, dropping the old
# tables would delete the certificates and reminders of every completion.
def upgrade():
    with foreign_keys_off():
        _upgrade()


def downgrade():
    with foreign_keys_off():
        _downgrade()


def _upgrade():
    with op.batch_alter_table('module_read', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cycle', sa.Integer(), nullable=True))

    with op.batch_alter_table('course_completion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cycle', sa.Integer(), nullable=True))

    number_cycles(op.get_bind())

    with op.batch_alter_table('module_read', schema=None) as batch_op:
        batch_op.alter_column('cycle', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint('module_read_once_per_cycle', ['user_id', 'course_id', 'module_id', 'cycle'])

    with op.batch_alter_table('course_completion', schema=None) as batch_op:
        batch_op.alter_column('cycle', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint('course_completion_once_per_cycle', ['user_id', 'course_id', 'cycle'])

    with op.batch_alter_table('external_activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submit_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint('external_activity_submitted_once', ['user_id', 'submit_token'])


def _downgrade():
    with op.batch_alter_table('external_activity', schema=None) as batch_op:
        batch_op.drop_constraint('external_activity_submitted_once', type_='unique')
        batch_op.drop_column('submit_token')

    with op.batch_alter_table('course_completion', schema=None) as batch_op:
        batch_op.drop_constraint('course_completion_once_per_cycle', type_='unique')
        batch_op.drop_column('cycle')

    with op.batch_alter_table('module_read', schema=None) as batch_op:
        batch_op.drop_constraint('module_read_once_per_cycle', type_='unique')
        batch_op.drop_column('cycle')


def number_cycles(connection):
    """Give every read and completion its cycle; remove the repeats, keeping the earliest."""
    completions, reads = {}, {}
    for row in connection.execute(
        sa.select(course_completion).order_by(course_completion.c.completed_at, course_completion.c.id)
    ):
        completions.setdefault((row.user_id, row.course_id), []).append(row)
    for row in connection.execute(
        sa.select(module_read).order_by(module_read.c.read_at, module_read.c.id)
    ):
        reads.setdefault((row.user_id, row.course_id), []).append(row)

    completion_cycles, read_cycles, moved = {}, {}, {}  # moved: removed key -> key kept
    for user_course in completions.keys() | reads.keys():
        kept = []
        for row in completions.get(user_course, []):
            if kept and row.completed_at - kept[-1].completed_at < REPEAT_WINDOW:
                moved[('completion', row.id)] = ('completion', kept[-1].id)
            else:
                completion_cycles[row.id] = len(kept)
                kept.append(row)
        first_read = {}  # (module_id, cycle) -> id of the read kept
        for row in reads.get(user_course, []):
            # A read at the very moment of a completion belongs to the cycle it completed.
            cycle = sum(c.completed_at < row.read_at for c in kept)
            earlier = first_read.get((row.module_id, cycle))
            if earlier is None and cycle and row.read_at - kept[cycle - 1].completed_at < REPEAT_WINDOW:
                earlier = first_read.get((row.module_id, cycle - 1))
            if earlier is not None:
                moved[('read', row.id)] = ('read', earlier)
            else:
                first_read[(row.module_id, cycle)] = row.id
                read_cycles[row.id] = cycle

    _move_reflections(connection, completions, reads, moved)
    removed_completions = [i for kind, i in moved if kind == 'completion']
    removed_reads = [i for kind, i in moved if kind == 'read']
    for ids in _chunks(removed_completions):
        connection.execute(certificate.delete().where(certificate.c.completion_id.in_(ids)))
        connection.execute(reminder_sent.delete().where(reminder_sent.c.completion_id.in_(ids)))
        connection.execute(course_completion.delete().where(course_completion.c.id.in_(ids)))
    for ids in _chunks(removed_reads):
        connection.execute(module_read.delete().where(module_read.c.id.in_(ids)))
    _set_cycles(connection, course_completion, completion_cycles)
    _set_cycles(connection, module_read, read_cycles)


def _move_reflections(connection, completions, reads, moved):
    owner = {
        (kind, row.id): row.user_id
        for kind, rows in (('completion', completions), ('read', reads))
        for group in rows.values()
        for row in group
    }
    for (kind, removed), (_, kept) in moved.items():
        user_id = owner[(kind, removed)]
        has_one = connection.scalar(
            sa.select(sa.func.count()).select_from(reflection).where(
                reflection.c.user_id == user_id, reflection.c.entry_key == f'{kind}-{kept}'
            )
        )
        if not has_one:
            connection.execute(
                reflection.update()
                .where(reflection.c.user_id == user_id, reflection.c.entry_key == f'{kind}-{removed}')
                .values(entry_key=f'{kind}-{kept}')
            )


def _set_cycles(connection, table, cycles):
    if cycles:
        connection.execute(
            table.update().where(table.c.id == sa.bindparam('row_id')).values(cycle=sa.bindparam('row_cycle')),
            [{'row_id': i, 'row_cycle': c} for i, c in cycles.items()],
        )


def _chunks(ids, size=500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
