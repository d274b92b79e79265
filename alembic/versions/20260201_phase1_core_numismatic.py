"""V3 phase 1 (and 1.5b/1.5c): core numismatic columns on coins_v2 and countermarks.

Revision ID: 20260201_phase1
Revises: 892810d42bbe
Create Date: 2026-02-01 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from coinstack_graphql.coins.enums import LEGACY_COUNTERMARK_TYPES
from coinstack_graphql.coins.models import PHASE1_CHECKS
from coinstack_graphql.coins.treatments import FLAG_COLUMNS, parse_secondary_treatments

revision: str = '20260201_phase1'
down_revision: str | None = '892810d42bbe'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('coins_v2', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secondary_authority', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('secondary_authority_term_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('authority_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('co_ruler', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('co_ruler_term_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('portrait_relationship', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('moneyer_gens', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('weight_standard', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('expected_weight_g', sa.Numeric(precision=10, scale=3), nullable=True))
        batch_op.add_column(sa.Column('flan_shape', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('flan_type', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('flan_notes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('is_overstrike', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('undertype_visible', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('undertype_attribution', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('has_test_cut', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('test_cut_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('test_cut_positions', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('has_bankers_marks', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('has_graffiti', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('graffiti_description', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('was_mounted', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('mount_evidence', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('tooling_extent', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('tooling_details', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('has_ancient_repair', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('ancient_repairs', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('centering', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('centering_notes', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('obverse_die_state', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('reverse_die_state', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('die_break_description', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('grade_numeric', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('grade_designation', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('has_star_designation', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('photo_certificate', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('verification_url', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('date_period_notation', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('emission_phase', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('strike_quality_detail', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('is_double_struck', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('is_brockage', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('is_off_center', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('off_center_pct', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ngc_strike_grade', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ngc_surface_grade', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('is_fine_style', sa.Boolean(), server_default='0', nullable=False))
        batch_op.create_foreign_key(
            'fk_coins_v2_secondary_authority_term_id_vocab_terms', 'vocab_terms',
            ['secondary_authority_term_id'], ['id'], ondelete='SET NULL',
        )
        batch_op.create_foreign_key(
            'fk_coins_v2_co_ruler_term_id_vocab_terms', 'vocab_terms',
            ['co_ruler_term_id'], ['id'], ondelete='SET NULL',
        )
        for name, condition in PHASE1_CHECKS.items():
            batch_op.create_check_constraint(op.f(f"ck_coins_v2_{name}"), condition)

    with op.batch_alter_table('countermarks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('punch_shape', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('reference', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), nullable=True))


    _treatments_to_flags()
    _map_countermark_types(LEGACY_COUNTERMARK_TYPES)


def downgrade() -> None:
    _map_countermark_types({new: old for old, new in LEGACY_COUNTERMARK_TYPES.items()}, "other")
    with op.batch_alter_table('countermarks', schema=None) as batch_op:
        batch_op.drop_column('created_at')
        batch_op.drop_column('reference')
        batch_op.drop_column('punch_shape')

    with op.batch_alter_table('coins_v2', schema=None) as batch_op:
        for name in PHASE1_CHECKS:
            batch_op.drop_constraint(op.f(f"ck_coins_v2_{name}"), type_="check")
        batch_op.drop_constraint('fk_coins_v2_co_ruler_term_id_vocab_terms', type_='foreignkey')
        batch_op.drop_constraint(
            'fk_coins_v2_secondary_authority_term_id_vocab_terms', type_='foreignkey'
        )
        batch_op.drop_column('is_fine_style')
        batch_op.drop_column('ngc_surface_grade')
        batch_op.drop_column('ngc_strike_grade')
        batch_op.drop_column('off_center_pct')
        batch_op.drop_column('is_off_center')
        batch_op.drop_column('is_brockage')
        batch_op.drop_column('is_double_struck')
        batch_op.drop_column('strike_quality_detail')
        batch_op.drop_column('emission_phase')
        batch_op.drop_column('date_period_notation')
        batch_op.drop_column('verification_url')
        batch_op.drop_column('photo_certificate')
        batch_op.drop_column('has_star_designation')
        batch_op.drop_column('grade_designation')
        batch_op.drop_column('grade_numeric')
        batch_op.drop_column('die_break_description')
        batch_op.drop_column('reverse_die_state')
        batch_op.drop_column('obverse_die_state')
        batch_op.drop_column('centering_notes')
        batch_op.drop_column('centering')
        batch_op.drop_column('ancient_repairs')
        batch_op.drop_column('has_ancient_repair')
        batch_op.drop_column('tooling_details')
        batch_op.drop_column('tooling_extent')
        batch_op.drop_column('mount_evidence')
        batch_op.drop_column('was_mounted')
        batch_op.drop_column('graffiti_description')
        batch_op.drop_column('has_graffiti')
        batch_op.drop_column('has_bankers_marks')
        batch_op.drop_column('test_cut_positions')
        batch_op.drop_column('test_cut_count')
        batch_op.drop_column('has_test_cut')
        batch_op.drop_column('undertype_attribution')
        batch_op.drop_column('undertype_visible')
        batch_op.drop_column('is_overstrike')
        batch_op.drop_column('flan_notes')
        batch_op.drop_column('flan_type')
        batch_op.drop_column('flan_shape')
        batch_op.drop_column('expected_weight_g')
        batch_op.drop_column('weight_standard')
        batch_op.drop_column('moneyer_gens')
        batch_op.drop_column('portrait_relationship')
        batch_op.drop_column('co_ruler_term_id')
        batch_op.drop_column('co_ruler')
        batch_op.drop_column('authority_type')
        batch_op.drop_column('secondary_authority_term_id')
        batch_op.drop_column('secondary_authority')


def _treatments_to_flags() -> None:
    """Fill the structured flags from each coin's V2.1 `secondary_treatments` JSON.

    The JSON itself is kept, so a downgrade gives back exactly what V2.1 had.
    """
    coins = sa.table(
        "coins_v2",
        sa.column("id", sa.Integer),
        sa.column("secondary_treatments", sa.Text),
        *(sa.column(name) for name in FLAG_COLUMNS),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(coins.c.id, coins.c.secondary_treatments).where(
            coins.c.secondary_treatments.is_not(None)
        )
    ).all()
    for coin_id, blob in rows:
        flags = parse_secondary_treatments(blob)
        bind.execute(coins.update().where(coins.c.id == coin_id).values(**flags))


def _map_countermark_types(mapping: dict[str, str], fallback: str | None = None) -> None:
    """Rename countermark classes between V2.1's six values and phase 1.5b's ten."""
    marks = sa.table("countermarks", sa.column("countermark_type", sa.String))
    bind = op.get_bind()
    for old, new in mapping.items():
        bind.execute(
            marks.update().where(marks.c.countermark_type == old).values(countermark_type=new)
        )
    if fallback is not None:
        bind.execute(
            marks.update()
            .where(marks.c.countermark_type.not_in(list(set(mapping.values()) | {fallback})))
            .values(countermark_type=fallback)
        )
