"""V3 phase 6: collections and collection membership.

Revision ID: 20260206_phase6
Revises: 20260205_phase5
Create Date: 2026-02-06 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20260206_phase6'
down_revision: str | None = '20260205_phase5'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('collections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('slug', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('collection_type', sa.String(length=20), server_default='custom', nullable=False),
    sa.Column('smart_filter', sa.Text(), nullable=True),
    sa.Column('cover_image_url', sa.Text(), nullable=True),
    sa.Column('display_order', sa.Integer(), nullable=True),
    sa.Column('is_favorite', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('coin_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_value', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['collections.id'], name=op.f('fk_collections_parent_id_collections'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collections')),
    sa.UniqueConstraint('slug', name=op.f('uq_collections_slug')),
    )

    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.create_index('ix_collections_parent_id', ['parent_id'], unique=False)

    op.create_table('collection_coins',
    sa.Column('collection_id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_collection_coins_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['collection_id'], ['collections.id'], name=op.f('fk_collection_coins_collection_id_collections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('collection_id', 'coin_id', name=op.f('pk_collection_coins'))
    )

    with op.batch_alter_table('collection_coins', schema=None) as batch_op:
        batch_op.create_index('ix_collection_coins_coin_id', ['coin_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('collection_coins', schema=None) as batch_op:
        batch_op.drop_index('ix_collection_coins_coin_id')

    op.drop_table('collection_coins')

    with op.batch_alter_table('collections', schema=None) as batch_op:
        batch_op.drop_index('ix_collections_parent_id')

    op.drop_table('collections')
