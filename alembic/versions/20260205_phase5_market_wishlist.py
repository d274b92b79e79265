"""V3 phase 5: market prices, data points, valuations, price alerts and wishlists.

Revision ID: 20260205_phase5
Revises: 20260204_phase4
Create Date: 2026-02-05 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '20260205_phase5'
down_revision: str | None = '20260204_phase4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('market_prices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attribution_key', sa.Text(), nullable=False),
    sa.Column('catalog_ref', sa.Text(), nullable=True),
    sa.Column('denomination', sa.Text(), nullable=True),
    sa.Column('metal', sa.Text(), nullable=True),
    sa.Column('last_updated', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_prices')),
    sa.UniqueConstraint('attribution_key', name=op.f('uq_market_prices_attribution_key')),
    )

    op.create_table('coin_valuations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('valuation_date', sa.Date(), nullable=False),
    sa.Column('purchase_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('purchase_date', sa.Date(), nullable=True),
    sa.Column('current_market_value', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('market_confidence', sa.Text(), nullable=True),
    sa.Column('comparable_count', sa.Integer(), nullable=True),
    sa.Column('price_trend_12mo', sa.Float(), nullable=True),
    sa.Column('gain_loss_usd', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('gain_loss_pct', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('attribution_key', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_coin_valuations_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coin_valuations'))
    )

    with op.batch_alter_table('coin_valuations', schema=None) as batch_op:
        batch_op.create_index('ix_coin_valuations_coin_date', ['coin_id', 'valuation_date'], unique=False)

    op.create_table('market_data_points',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('market_price_id', sa.Integer(), nullable=False),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.Text(), server_default='USD', nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('grade', sa.Text(), nullable=True),
    sa.Column('auction_house', sa.Text(), nullable=True),
    sa.Column('lot_url', sa.Text(), nullable=True),
    sa.Column('confidence', sa.Text(), server_default='medium', nullable=True),
    sa.Column('auction_data_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['auction_data_id'], ['auction_data_v2.id'], name=op.f('fk_market_data_points_auction_data_id_auction_data_v2'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['market_price_id'], ['market_prices.id'], name=op.f('fk_market_data_points_market_price_id_market_prices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_market_data_points')),
    sa.UniqueConstraint('lot_url', name='uq_market_data_points_lot_url')
    )

    with op.batch_alter_table('market_data_points', schema=None) as batch_op:
        batch_op.create_index('ix_market_data_points_price_date', ['market_price_id', 'date'], unique=False)

    op.create_table('wishlist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('issuer', sa.Text(), nullable=True),
    sa.Column('mint', sa.Text(), nullable=True),
    sa.Column('year_start', sa.Integer(), nullable=True),
    sa.Column('year_end', sa.Integer(), nullable=True),
    sa.Column('denomination', sa.Text(), nullable=True),
    sa.Column('catalog_ref', sa.Text(), nullable=True),
    sa.Column('min_grade', sa.Text(), nullable=True),
    sa.Column('max_price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('priority', sa.Integer(), server_default='2', nullable=True),
    sa.Column('status', sa.String(length=20), server_default='wanted', nullable=False),
    sa.Column('series_slot_id', sa.Integer(), nullable=True),
    sa.Column('acquired_coin_id', sa.Integer(), nullable=True),
    sa.Column('acquired_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['acquired_coin_id'], ['coins_v2.id'], name=op.f('fk_wishlist_items_acquired_coin_id_coins_v2'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_slot_id'], ['series_slots.id'], name=op.f('fk_wishlist_items_series_slot_id_series_slots'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wishlist_items'))
    )

    op.create_table('price_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attribution_key', sa.Text(), nullable=True),
    sa.Column('coin_id', sa.Integer(), nullable=True),
    sa.Column('wishlist_id', sa.Integer(), nullable=True),
    sa.Column('trigger_type', sa.String(length=20), nullable=False),
    sa.Column('threshold_value', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('threshold_pct', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='active', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('triggered_at', sa.DateTime(), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('notification_sent', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('window_months', sa.Integer(), nullable=True),
    sa.Column('last_observation_key', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_price_alerts_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['wishlist_id'], ['wishlist_items.id'], name=op.f('fk_price_alerts_wishlist_id_wishlist_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_alerts'))
    )

    with op.batch_alter_table('price_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_price_alerts_status', ['status'], unique=False)

    op.create_table('wishlist_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('wishlist_item_id', sa.Integer(), nullable=False),
    sa.Column('match_type', sa.Text(), nullable=False),
    sa.Column('match_id', sa.Text(), nullable=False),
    sa.Column('match_url', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('grade', sa.Text(), nullable=True),
    sa.Column('price', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('currency', sa.Text(), server_default='USD', nullable=True),
    sa.Column('match_score', sa.Float(), nullable=True),
    sa.Column('confidence', sa.Text(), nullable=True),
    sa.Column('auction_date', sa.Date(), nullable=True),
    sa.Column('is_below_budget', sa.Boolean(), nullable=True),
    sa.Column('is_below_market', sa.Boolean(), nullable=True),
    sa.Column('value_score', sa.Float(), nullable=True),
    sa.Column('notified', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('dismissed', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['wishlist_item_id'], ['wishlist_items.id'], name=op.f('fk_wishlist_matches_wishlist_item_id_wishlist_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wishlist_matches')),
    sa.UniqueConstraint('wishlist_item_id', 'match_type', 'match_id', name='uq_wishlist_match_source')
    )

    with op.batch_alter_table('wishlist_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wishlist_matches_wishlist_item_id'), ['wishlist_item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('wishlist_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wishlist_matches_wishlist_item_id'))

    op.drop_table('wishlist_matches')

    with op.batch_alter_table('price_alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_price_alerts_status')

    op.drop_table('price_alerts')

    op.drop_table('wishlist_items')

    with op.batch_alter_table('market_data_points', schema=None) as batch_op:
        batch_op.drop_index('ix_market_data_points_price_date')

    op.drop_table('market_data_points')

    with op.batch_alter_table('coin_valuations', schema=None) as batch_op:
        batch_op.drop_index('ix_coin_valuations_coin_date')

    op.drop_table('coin_valuations')

    op.drop_table('market_prices')
