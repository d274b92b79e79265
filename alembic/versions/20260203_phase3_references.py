"""V3 phase 3: reference type extensions, concordance and external catalogue links.

Revision ID: 20260203_phase3
Revises: 20260202_phase2
Create Date: 2026-02-03 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20260203_phase3'
down_revision: str | None = '20260202_phase2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reference_types', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sng_volume', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('number_numeric', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('publication_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rarity_code', sa.Text(), nullable=True))
        batch_op.create_index('idx_ref_number_numeric', ['system', 'number_numeric'], unique=False)

    op.create_table('external_catalog_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference_type_id', sa.Integer(), nullable=False),
    sa.Column('catalog_source', sa.String(length=20), nullable=False),
    sa.Column('external_id', sa.Text(), nullable=False),
    sa.Column('external_url', sa.Text(), nullable=True),
    sa.Column('external_data', sa.Text(), nullable=True),
    sa.Column('last_synced_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['reference_type_id'], ['reference_types.id'], name=op.f('fk_external_catalog_links_reference_type_id_reference_types'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_catalog_links')),
    sa.UniqueConstraint('reference_type_id', 'catalog_source', name='uq_external_link_source')
    )

    with op.batch_alter_table('external_catalog_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_catalog_links_reference_type_id'), ['reference_type_id'], unique=False)

    op.create_table('reference_concordance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concordance_group_id', sa.Text(), nullable=False),
    sa.Column('reference_type_id', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['reference_type_id'], ['reference_types.id'], name=op.f('fk_reference_concordance_reference_type_id_reference_types'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_concordance')),
    sa.UniqueConstraint('concordance_group_id', 'reference_type_id', name='uq_concordance_group_member'),
    sa.UniqueConstraint('reference_type_id', name='uq_concordance_reference_type')
    )

    with op.batch_alter_table('reference_concordance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_concordance_concordance_group_id'), ['concordance_group_id'], unique=False)

    with op.batch_alter_table('coin_references', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attribution_confidence', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('catalog_rarity_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('disagreement_note', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('coin_references', schema=None) as batch_op:
        batch_op.drop_column('disagreement_note')
        batch_op.drop_column('catalog_rarity_note')
        batch_op.drop_column('attribution_confidence')

    with op.batch_alter_table('reference_concordance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_concordance_concordance_group_id'))

    op.drop_table('reference_concordance')

    with op.batch_alter_table('external_catalog_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_catalog_links_reference_type_id'))

    op.drop_table('external_catalog_links')

    with op.batch_alter_table('reference_types', schema=None) as batch_op:
        batch_op.drop_index('idx_ref_number_numeric')
        batch_op.drop_column('rarity_code')
        batch_op.drop_column('publication_year')
        batch_op.drop_column('number_numeric')
        batch_op.drop_column('sng_volume')
