"""V3 phase 2: grading history, rarity assessments and census snapshots.

Revision ID: 20260202_phase2
Revises: 20260201_phase1
Create Date: 2026-02-02 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20260202_phase2'
down_revision: str | None = '20260201_phase1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('census_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=20), nullable=False),
    sa.Column('snapshot_date', sa.Date(), nullable=False),
    sa.Column('total_graded', sa.Integer(), nullable=False),
    sa.Column('grade_breakdown', sa.Text(), nullable=True),
    sa.Column('coins_at_grade', sa.Integer(), nullable=True),
    sa.Column('coins_finer', sa.Integer(), nullable=True),
    sa.Column('percentile', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('catalog_reference', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_census_snapshots_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_census_snapshots'))
    )

    with op.batch_alter_table('census_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_census_snapshots_coin_id', ['coin_id'], unique=False)

    op.create_table('grading_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('grading_state', sa.String(length=20), nullable=False),
    sa.Column('grade', sa.Text(), nullable=True),
    sa.Column('grade_service', sa.String(length=20), nullable=True),
    sa.Column('certification_number', sa.Text(), nullable=True),
    sa.Column('strike_quality', sa.Text(), nullable=True),
    sa.Column('surface_quality', sa.Text(), nullable=True),
    sa.Column('grade_numeric', sa.Integer(), nullable=True),
    sa.Column('designation', sa.Text(), nullable=True),
    sa.Column('has_star', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('photo_cert', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('verification_url', sa.Text(), nullable=True),
    sa.Column('event_type', sa.String(length=20), nullable=False),
    sa.Column('graded_date', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.Column('submitter', sa.Text(), nullable=True),
    sa.Column('turnaround_days', sa.Integer(), nullable=True),
    sa.Column('grading_fee', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('sequence_order', sa.Integer(), server_default='0', nullable=False),
    sa.Column('is_current', sa.Boolean(), server_default='0', nullable=False),
    sa.CheckConstraint("strike_quality IS NULL OR strike_quality IN ('1','2','3','4','5')", name=op.f('ck_grading_history_strike_quality_range')),
    sa.CheckConstraint("surface_quality IS NULL OR surface_quality IN ('1','2','3','4','5')", name=op.f('ck_grading_history_surface_quality_range')),
    sa.CheckConstraint('grade_numeric IS NULL OR (grade_numeric >= 1 AND grade_numeric <= 70)', name=op.f('ck_grading_history_grade_numeric_range')),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_grading_history_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grading_history'))
    )

    with op.batch_alter_table('grading_history', schema=None) as batch_op:
        batch_op.create_index('ix_grading_history_coin_sequence', ['coin_id', 'sequence_order'], unique=False)
        batch_op.create_index('uq_grading_history_one_current', ['coin_id'], unique=True, sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))

    op.create_table('rarity_assessments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('rarity_code', sa.String(length=10), nullable=False),
    sa.Column('rarity_system', sa.String(length=20), nullable=False),
    sa.Column('source_type', sa.String(length=20), nullable=False),
    sa.Column('source_name', sa.Text(), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('source_date', sa.Date(), nullable=True),
    sa.Column('grade_range_low', sa.Text(), nullable=True),
    sa.Column('grade_range_high', sa.Text(), nullable=True),
    sa.Column('grade_conditional_notes', sa.Text(), nullable=True),
    sa.Column('census_total', sa.Integer(), nullable=True),
    sa.Column('census_this_grade', sa.Integer(), nullable=True),
    sa.Column('census_finer', sa.Integer(), nullable=True),
    sa.Column('census_date', sa.Date(), nullable=True),
    sa.Column('confidence', sa.String(length=10), server_default='medium', nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('is_primary', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_rarity_assessments_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rarity_assessments'))
    )

    with op.batch_alter_table('rarity_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_rarity_assessments_coin_id', ['coin_id'], unique=False)
        batch_op.create_index('uq_rarity_assessments_one_primary', ['coin_id'], unique=True, sqlite_where=sa.text('is_primary'), postgresql_where=sa.text('is_primary'))


    _initial_grading_history()
    _rarity_to_assessments()


def downgrade() -> None:
    with op.batch_alter_table('rarity_assessments', schema=None) as batch_op:
        batch_op.drop_index('uq_rarity_assessments_one_primary', sqlite_where=sa.text('is_primary'), postgresql_where=sa.text('is_primary'))
        batch_op.drop_index('ix_rarity_assessments_coin_id')

    op.drop_table('rarity_assessments')

    with op.batch_alter_table('grading_history', schema=None) as batch_op:
        batch_op.drop_index('uq_grading_history_one_current', sqlite_where=sa.text('is_current'), postgresql_where=sa.text('is_current'))
        batch_op.drop_index('ix_grading_history_coin_sequence')

    op.drop_table('grading_history')

    with op.batch_alter_table('census_snapshots', schema=None) as batch_op:
        batch_op.drop_index('ix_census_snapshots_coin_id')

    op.drop_table('census_snapshots')


# V2.1's coarse rarity scale and the catalogue code each step corresponds to.
RARITY_CODES = {
    "common": "C",
    "scarce": "S",
    "rare": "R1",
    "very_rare": "RR",
    "extremely_rare": "RRR",
    "unique": "UNIQUE",
}


def _initial_grading_history() -> None:
    """Each coin's present grading state becomes its first, current history entry."""
    c = sa.table(
        "coins_v2",
        *(
            sa.column(name)
            for name in (
                "id", "grading_state", "grade", "grade_service", "certification_number",
                "strike_quality", "surface_quality", "grade_numeric", "grade_designation",
                "has_star_designation", "photo_certificate", "verification_url", "created_at",
            )
        ),
    )
    columns = [
        "coin_id", "grading_state", "grade", "grade_service", "certification_number",
        "strike_quality", "surface_quality", "grade_numeric", "designation", "has_star",
        "photo_cert", "verification_url", "event_type", "recorded_at", "notes",
        "sequence_order", "is_current",
    ]
    source = sa.select(
        c.c.id,
        c.c.grading_state,
        c.c.grade,
        c.c.grade_service,
        c.c.certification_number,
        sa.cast(c.c.strike_quality, sa.Text),
        sa.cast(c.c.surface_quality, sa.Text),
        c.c.grade_numeric,
        c.c.grade_designation,
        c.c.has_star_designation,
        c.c.photo_certificate,
        c.c.verification_url,
        sa.literal("initial"),
        sa.func.coalesce(c.c.created_at, sa.func.current_timestamp()),
        sa.literal("Grading state recorded on the coin before V3"),
        sa.literal(0),
        sa.true(),
    ).where(c.c.grading_state.is_not(None))
    history = sa.table("grading_history", *(sa.column(name) for name in columns))
    op.get_bind().execute(history.insert().from_select(columns, source))


def _rarity_to_assessments() -> None:
    """`coins_v2.rarity` becomes the coin's primary rarity assessment."""
    c = sa.table("coins_v2", sa.column("id"), sa.column("rarity"), sa.column("rarity_notes"))
    columns = [
        "coin_id", "rarity_code", "rarity_system", "source_type", "source_name", "notes",
        "confidence", "is_primary",
    ]
    # V2-era rows may hold enum member names (RARE) rather than values (rare).
    rarity = sa.func.lower(c.c.rarity)
    code = sa.case(RARITY_CODES, value=rarity)
    source = sa.select(
        c.c.id,
        code,
        sa.literal("catalog"),
        sa.literal("catalog"),
        sa.literal("CoinStack V2.1 rarity"),
        c.c.rarity_notes,
        sa.literal("medium"),
        sa.true(),
    ).where(rarity.in_(list(RARITY_CODES)))
    assessments = sa.table("rarity_assessments", *(sa.column(name) for name in columns))
    op.get_bind().execute(assessments.insert().from_select(columns, source))
