"""CoinStack V2.1 baseline schema.

A V2.1 database already at this revision is stamped and upgraded in place.

Revision ID: 892810d42bbe
Revises: None
Create Date: 2026-01-15 00:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '892810d42bbe'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('coin_ids', sa.JSON(), nullable=True),
    sa.Column('total_coins', sa.Integer(), nullable=True),
    sa.Column('coins_audited', sa.Integer(), nullable=True),
    sa.Column('coins_with_issues', sa.Integer(), nullable=True),
    sa.Column('discrepancies_found', sa.Integer(), nullable=True),
    sa.Column('enrichments_found', sa.Integer(), nullable=True),
    sa.Column('images_downloaded', sa.Integer(), nullable=True),
    sa.Column('auto_accepted', sa.Integer(), nullable=True),
    sa.Column('auto_applied', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('config_snapshot', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_runs'))
    )

    op.create_table('enrichment_jobs',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('result_summary', sa.Text(), nullable=True),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('conflicts', sa.Integer(), nullable=False),
    sa.Column('not_found', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrichment_jobs'))
    )

    with op.batch_alter_table('enrichment_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrichment_jobs_status'), ['status'], unique=False)

    op.create_table('mints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('province', sa.String(length=100), nullable=True),
    sa.Column('modern_location', sa.String(length=100), nullable=True),
    sa.Column('latitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('longitude', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mints')),
    sa.UniqueConstraint('name', name=op.f('uq_mints_name')),
    )

    op.create_table('monograms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('image_path', sa.String(length=255), nullable=True),
    sa.Column('vector_data', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monograms')),
    sa.UniqueConstraint('label', name=op.f('uq_monograms_label')),
    )

    op.create_table('reference_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('system', sa.String(length=20), nullable=False),
    sa.Column('local_ref', sa.String(length=100), nullable=False),
    sa.Column('local_ref_normalized', sa.String(length=100), nullable=False),
    sa.Column('volume', sa.String(length=20), nullable=True),
    sa.Column('number', sa.String(length=50), nullable=True),
    sa.Column('edition', sa.String(length=10), nullable=True),
    sa.Column('variant', sa.String(length=10), nullable=True),
    sa.Column('mint', sa.String(length=30), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('external_url', sa.String(length=500), nullable=True),
    sa.Column('lookup_status', sa.String(length=20), nullable=True),
    sa.Column('lookup_confidence', sa.Numeric(precision=3, scale=2), nullable=True),
    sa.Column('last_lookup', sa.DateTime(), nullable=True),
    sa.Column('source_version', sa.String(length=50), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('citation', sa.Text(), nullable=True),
    sa.Column('bibliography_refs', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_types')),
    sa.UniqueConstraint('system', 'local_ref_normalized', name='uq_ref_type')
    )

    with op.batch_alter_table('reference_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_types_local_ref_normalized'), ['local_ref_normalized'], unique=False)
        batch_op.create_index(batch_op.f('ix_reference_types_system'), ['system'], unique=False)

    op.create_table('vocab_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vocabulary', sa.String(length=20), nullable=False),
    sa.Column('canonical_name', sa.String(length=200), nullable=False),
    sa.Column('nomisma_id', sa.String(length=100), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('metadata', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vocab_terms')),
    sa.UniqueConstraint('vocabulary', 'canonical_name', name='uq_vocab_term')
    )

    with op.batch_alter_table('vocab_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vocab_terms_nomisma_id'), ['nomisma_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_vocab_terms_vocabulary'), ['vocabulary'], unique=False)

    op.create_table('coins_v2',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('category', sa.String(length=50), nullable=False),
    sa.Column('sub_category', sa.String(length=50), nullable=True),
    sa.Column('denomination', sa.String(length=50), nullable=False),
    sa.Column('metal', sa.String(length=50), nullable=False),
    sa.Column('issuer', sa.String(length=100), nullable=False),
    sa.Column('portrait_subject', sa.String(length=100), nullable=True),
    sa.Column('mint', sa.String(length=100), nullable=True),
    sa.Column('mint_id', sa.Integer(), nullable=True),
    sa.Column('issuer_term_id', sa.Integer(), nullable=True),
    sa.Column('mint_term_id', sa.Integer(), nullable=True),
    sa.Column('denomination_term_id', sa.Integer(), nullable=True),
    sa.Column('dynasty_term_id', sa.Integer(), nullable=True),
    sa.Column('officina', sa.String(length=20), nullable=True),
    sa.Column('script', sa.String(length=20), nullable=True),
    sa.Column('year_start', sa.Integer(), nullable=True),
    sa.Column('year_end', sa.Integer(), nullable=True),
    sa.Column('reign_start', sa.Integer(), nullable=True),
    sa.Column('reign_end', sa.Integer(), nullable=True),
    sa.Column('is_circa', sa.Boolean(), nullable=False),
    sa.Column('dating_certainty', sa.String(length=20), nullable=True),
    sa.Column('dating_notes', sa.String(length=255), nullable=True),
    sa.Column('weight_g', sa.Numeric(precision=10, scale=3), nullable=True),
    sa.Column('diameter_mm', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('diameter_min_mm', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('thickness_mm', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('die_axis', sa.Integer(), nullable=True),
    sa.Column('orientation', sa.String(length=20), nullable=True),
    sa.Column('specific_gravity', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('obverse_legend', sa.String(length=255), nullable=True),
    sa.Column('obverse_legend_expanded', sa.Text(), nullable=True),
    sa.Column('obverse_description', sa.Text(), nullable=True),
    sa.Column('obverse_symbols', sa.String(length=255), nullable=True),
    sa.Column('reverse_legend', sa.String(length=255), nullable=True),
    sa.Column('reverse_legend_expanded', sa.Text(), nullable=True),
    sa.Column('reverse_description', sa.Text(), nullable=True),
    sa.Column('reverse_symbols', sa.String(length=255), nullable=True),
    sa.Column('exergue', sa.String(length=100), nullable=True),
    sa.Column('grading_state', sa.String(length=20), nullable=False),
    sa.Column('grade', sa.String(length=50), nullable=True),
    sa.Column('grade_service', sa.String(length=20), nullable=True),
    sa.Column('certification_number', sa.String(length=50), nullable=True),
    sa.Column('strike_quality', sa.Integer(), nullable=True),
    sa.Column('surface_quality', sa.Integer(), nullable=True),
    sa.Column('surface_issues', sa.JSON(), nullable=True),
    sa.Column('eye_appeal', sa.String(length=50), nullable=True),
    sa.Column('toning_description', sa.String(length=255), nullable=True),
    sa.Column('style_notes', sa.String(length=255), nullable=True),
    sa.Column('acquisition_date', sa.Date(), nullable=True),
    sa.Column('acquisition_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('acquisition_currency', sa.String(length=3), nullable=True),
    sa.Column('acquisition_source', sa.String(length=100), nullable=True),
    sa.Column('acquisition_url', sa.String(length=500), nullable=True),
    sa.Column('estimate_low', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('estimate_high', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('estimate_date', sa.Date(), nullable=True),
    sa.Column('estimated_value_usd', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('insured_value', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('holder_type', sa.String(length=20), nullable=True),
    sa.Column('storage_location', sa.String(length=50), nullable=True),
    sa.Column('for_sale', sa.Boolean(), nullable=False),
    sa.Column('asking_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('rarity', sa.String(length=20), nullable=True),
    sa.Column('rarity_notes', sa.String(length=255), nullable=True),
    sa.Column('historical_significance', sa.Text(), nullable=True),
    sa.Column('die_match_notes', sa.Text(), nullable=True),
    sa.Column('personal_notes', sa.Text(), nullable=True),
    sa.Column('provenance_notes', sa.Text(), nullable=True),
    sa.Column('issue_status', sa.String(length=20), nullable=False),
    sa.Column('find_spot', sa.String(length=255), nullable=True),
    sa.Column('find_date', sa.Date(), nullable=True),
    sa.Column('obverse_die_id', sa.String(length=50), nullable=True),
    sa.Column('reverse_die_id', sa.String(length=50), nullable=True),
    sa.Column('die_study_obverse_id', sa.Integer(), nullable=True),
    sa.Column('die_study_reverse_id', sa.Integer(), nullable=True),
    sa.Column('die_study_group', sa.String(length=50), nullable=True),
    sa.Column('secondary_treatments', sa.Text(), nullable=True),
    sa.Column('llm_enriched_at', sa.DateTime(), nullable=True),
    sa.Column('llm_analysis_sections', sa.Text(), nullable=True),
    sa.Column('llm_suggested_references', sa.Text(), nullable=True),
    sa.Column('field_sources', sa.JSON(), nullable=True),
    sa.CheckConstraint('die_axis >= 0 AND die_axis <= 12', name=op.f('ck_coins_v2_die_axis_range')),
    sa.CheckConstraint('strike_quality IS NULL OR (strike_quality >= 1 AND strike_quality <= 5)', name=op.f('ck_coins_v2_strike_quality_range')),
    sa.CheckConstraint('surface_quality IS NULL OR (surface_quality >= 1 AND surface_quality <= 5)', name=op.f('ck_coins_v2_surface_quality_range')),
    sa.ForeignKeyConstraint(['denomination_term_id'], ['vocab_terms.id'], name=op.f('fk_coins_v2_denomination_term_id_vocab_terms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['die_study_obverse_id'], ['coins_v2.id'], name=op.f('fk_coins_v2_die_study_obverse_id_coins_v2'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['die_study_reverse_id'], ['coins_v2.id'], name=op.f('fk_coins_v2_die_study_reverse_id_coins_v2'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dynasty_term_id'], ['vocab_terms.id'], name=op.f('fk_coins_v2_dynasty_term_id_vocab_terms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['issuer_term_id'], ['vocab_terms.id'], name=op.f('fk_coins_v2_issuer_term_id_vocab_terms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mint_id'], ['mints.id'], name=op.f('fk_coins_v2_mint_id_mints'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mint_term_id'], ['vocab_terms.id'], name=op.f('fk_coins_v2_mint_term_id_vocab_terms'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coins_v2'))
    )

    with op.batch_alter_table('coins_v2', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coins_v2_acquisition_date'), ['acquisition_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_denomination'), ['denomination'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_grading_state'), ['grading_state'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_issue_status'), ['issue_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_issuer'), ['issuer'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_metal'), ['metal'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_mint_id'), ['mint_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_obverse_die_id'), ['obverse_die_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_reverse_die_id'), ['reverse_die_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coins_v2_year_start'), ['year_start'], unique=False)

    op.create_table('price_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('reference_type_id', sa.Integer(), nullable=False),
    sa.Column('period_date', sa.Date(), nullable=False),
    sa.Column('period_type', sa.String(length=20), nullable=True),
    sa.Column('min_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('max_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('median_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('mean_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('comp_count', sa.Integer(), nullable=True),
    sa.Column('sold_count', sa.Integer(), nullable=True),
    sa.Column('passed_count', sa.Integer(), nullable=True),
    sa.Column('median_price_vf_adj', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['reference_type_id'], ['reference_types.id'], name=op.f('fk_price_history_reference_type_id_reference_types'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_history')),
    sa.UniqueConstraint('reference_type_id', 'period_date', 'period_type', name='uq_price_history_period')
    )

    with op.batch_alter_table('price_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_price_history_reference_type_id'), ['reference_type_id'], unique=False)

    op.create_table('reference_match_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference_type_id', sa.Integer(), nullable=True),
    sa.Column('timestamp', sa.DateTime(), nullable=True),
    sa.Column('query_sent', sa.Text(), nullable=True),
    sa.Column('context_used', sa.JSON(), nullable=True),
    sa.Column('result_status', sa.String(length=20), nullable=True),
    sa.Column('confidence', sa.Numeric(precision=3, scale=2), nullable=True),
    sa.Column('candidates_returned', sa.Integer(), nullable=True),
    sa.Column('selected_candidate', sa.JSON(), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['reference_type_id'], ['reference_types.id'], name=op.f('fk_reference_match_attempts_reference_type_id_reference_types'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_match_attempts'))
    )

    with op.batch_alter_table('reference_match_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reference_match_attempts_reference_type_id'), ['reference_type_id'], unique=False)

    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('series_type', sa.String(length=30), nullable=True),
    sa.Column('target_count', sa.Integer(), nullable=True),
    sa.Column('is_complete', sa.Boolean(), nullable=False),
    sa.Column('canonical_vocab_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['canonical_vocab_id'], ['vocab_terms.id'], name=op.f('fk_series_canonical_vocab_id_vocab_terms'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series')),
    sa.UniqueConstraint('slug', name=op.f('uq_series_slug')),
    )

    op.create_table('auction_data_v2',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('coin_id', sa.Integer(), nullable=True),
    sa.Column('auction_house', sa.String(length=100), nullable=False),
    sa.Column('sale_name', sa.String(length=200), nullable=True),
    sa.Column('lot_number', sa.String(length=50), nullable=True),
    sa.Column('source_lot_id', sa.String(length=50), nullable=True),
    sa.Column('auction_date', sa.Date(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('estimate_low', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('estimate_high', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('estimate_usd', sa.Integer(), nullable=True),
    sa.Column('hammer_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('total_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('buyers_premium_pct', sa.Numeric(precision=4, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('sold', sa.Boolean(), nullable=True),
    sa.Column('bids', sa.Integer(), nullable=True),
    sa.Column('ruler', sa.String(length=200), nullable=True),
    sa.Column('ruler_title', sa.String(length=100), nullable=True),
    sa.Column('reign_dates', sa.String(length=50), nullable=True),
    sa.Column('denomination', sa.String(length=100), nullable=True),
    sa.Column('metal', sa.String(length=20), nullable=True),
    sa.Column('mint', sa.String(length=100), nullable=True),
    sa.Column('struck_dates', sa.String(length=100), nullable=True),
    sa.Column('struck_under', sa.String(length=200), nullable=True),
    sa.Column('categories', sa.JSON(), nullable=True),
    sa.Column('weight_g', sa.Numeric(precision=6, scale=3), nullable=True),
    sa.Column('diameter_mm', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('thickness_mm', sa.Numeric(precision=4, scale=2), nullable=True),
    sa.Column('die_axis', sa.Integer(), nullable=True),
    sa.Column('die_axis_degrees', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=1000), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('obverse_description', sa.Text(), nullable=True),
    sa.Column('reverse_description', sa.Text(), nullable=True),
    sa.Column('grade', sa.String(length=50), nullable=True),
    sa.Column('grade_service', sa.String(length=20), nullable=True),
    sa.Column('certification_number', sa.String(length=50), nullable=True),
    sa.Column('condition_notes', sa.Text(), nullable=True),
    sa.Column('strike_score', sa.String(length=10), nullable=True),
    sa.Column('surface_score', sa.String(length=10), nullable=True),
    sa.Column('numeric_grade', sa.Integer(), nullable=True),
    sa.Column('grade_designation', sa.String(length=50), nullable=True),
    sa.Column('catalog_references', sa.JSON(), nullable=True),
    sa.Column('catalog_references_raw', sa.JSON(), nullable=True),
    sa.Column('primary_reference', sa.String(length=100), nullable=True),
    sa.Column('reference_type_id', sa.Integer(), nullable=True),
    sa.Column('provenance_text', sa.Text(), nullable=True),
    sa.Column('pedigree_year', sa.Integer(), nullable=True),
    sa.Column('has_provenance', sa.Boolean(), nullable=True),
    sa.Column('provenance_entries', sa.JSON(), nullable=True),
    sa.Column('photos', sa.JSON(), nullable=True),
    sa.Column('primary_photo_url', sa.String(length=500), nullable=True),
    sa.Column('photos_downloaded', sa.Boolean(), nullable=True),
    sa.Column('sub_house', sa.String(length=50), nullable=True),
    sa.Column('seller_username', sa.String(length=100), nullable=True),
    sa.Column('seller_feedback_score', sa.Integer(), nullable=True),
    sa.Column('seller_feedback_pct', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('seller_is_top_rated', sa.Boolean(), nullable=True),
    sa.Column('seller_location', sa.String(length=100), nullable=True),
    sa.Column('listing_type', sa.String(length=50), nullable=True),
    sa.Column('shipping_cost', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('watchers', sa.Integer(), nullable=True),
    sa.Column('obverse_legend', sa.String(length=500), nullable=True),
    sa.Column('reverse_legend', sa.String(length=500), nullable=True),
    sa.Column('exergue', sa.String(length=200), nullable=True),
    sa.Column('historical_notes', sa.Text(), nullable=True),
    sa.Column('scraped_at', sa.DateTime(), nullable=True),
    sa.Column('raw_data', sa.JSON(), nullable=True),
    sa.Column('campaign_scraped_at', sa.DateTime(), nullable=True),
    sa.Column('campaign_successful', sa.Boolean(), nullable=True),
    sa.Column('campaign_error', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_auction_data_v2_coin_id_coins_v2'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reference_type_id'], ['reference_types.id'], name=op.f('fk_auction_data_v2_reference_type_id_reference_types'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auction_data_v2')),
    sa.UniqueConstraint('url', name=op.f('uq_auction_data_v2_url')),
    )

    with op.batch_alter_table('auction_data_v2', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auction_data_v2_auction_date'), ['auction_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_auction_data_v2_auction_house'), ['auction_house'], unique=False)
        batch_op.create_index(batch_op.f('ix_auction_data_v2_coin_id'), ['coin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auction_data_v2_reference_type_id'), ['reference_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_auction_data_v2_source_lot_id'), ['source_lot_id'], unique=False)

    op.create_table('coin_monograms',
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('monogram_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_coin_monograms_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['monogram_id'], ['monograms.id'], name=op.f('fk_coin_monograms_monogram_id_monograms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('coin_id', 'monogram_id', name=op.f('pk_coin_monograms'))
    )

    op.create_table('coin_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('reference_type_id', sa.Integer(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), nullable=True),
    sa.Column('plate_coin', sa.Boolean(), nullable=True),
    sa.Column('position', sa.String(length=20), nullable=True),
    sa.Column('variant_notes', sa.String(length=255), nullable=True),
    sa.Column('page', sa.String(length=20), nullable=True),
    sa.Column('plate', sa.String(length=30), nullable=True),
    sa.Column('note_number', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_coin_references_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reference_type_id'], ['reference_types.id'], name=op.f('fk_coin_references_reference_type_id_reference_types'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coin_references'))
    )

    with op.batch_alter_table('coin_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coin_references_coin_id'), ['coin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coin_references_reference_type_id'), ['reference_type_id'], unique=False)

    op.create_table('coin_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_coin_tags_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coin_tags')),
    sa.UniqueConstraint('coin_id', 'tag', name='uq_coin_tag')
    )

    with op.batch_alter_table('coin_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coin_tags_coin_id'), ['coin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coin_tags_tag'), ['tag'], unique=False)

    op.create_table('coin_vocab_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('field_name', sa.String(length=50), nullable=False),
    sa.Column('raw_value', sa.String(length=200), nullable=True),
    sa.Column('confidence', sa.Numeric(precision=3, scale=2), nullable=True),
    sa.Column('method', sa.String(length=20), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_coin_vocab_assignments_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['vocab_terms.id'], name=op.f('fk_coin_vocab_assignments_term_id_vocab_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coin_vocab_assignments')),
    sa.UniqueConstraint('coin_id', 'field_name', name='uq_coin_vocab_field')
    )

    with op.batch_alter_table('coin_vocab_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coin_vocab_assignments_coin_id'), ['coin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coin_vocab_assignments_term_id'), ['term_id'], unique=False)

    op.create_table('countermarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('countermark_type', sa.String(length=30), nullable=False),
    sa.Column('description', sa.String(length=100), nullable=False),
    sa.Column('expanded', sa.String(length=255), nullable=True),
    sa.Column('placement', sa.String(length=20), nullable=False),
    sa.Column('position', sa.String(length=50), nullable=True),
    sa.Column('condition', sa.String(length=20), nullable=True),
    sa.Column('authority', sa.String(length=100), nullable=True),
    sa.Column('date_applied', sa.String(length=50), nullable=True),
    sa.Column('image_url', sa.String(length=500), nullable=True),
    sa.Column('image_side', sa.String(length=20), nullable=True),
    sa.Column('notes', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_countermarks_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_countermarks'))
    )

    with op.batch_alter_table('countermarks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_countermarks_coin_id'), ['coin_id'], unique=False)
        batch_op.create_index('ix_countermarks_coin_type', ['coin_id', 'countermark_type'], unique=False)

    op.create_table('field_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('field_name', sa.String(length=50), nullable=False),
    sa.Column('old_value', sa.JSON(), nullable=True),
    sa.Column('new_value', sa.JSON(), nullable=True),
    sa.Column('old_source', sa.String(length=50), nullable=True),
    sa.Column('new_source', sa.String(length=50), nullable=True),
    sa.Column('old_source_id', sa.String(length=100), nullable=True),
    sa.Column('new_source_id', sa.String(length=100), nullable=True),
    sa.Column('change_type', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=True),
    sa.Column('batch_id', sa.String(length=36), nullable=True),
    sa.Column('conflict_type', sa.String(length=50), nullable=True),
    sa.Column('trust_old', sa.Integer(), nullable=True),
    sa.Column('trust_new', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_field_history_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_history'))
    )

    with op.batch_alter_table('field_history', schema=None) as batch_op:
        batch_op.create_index('ix_field_history_batch_coin', ['batch_id', 'coin_id'], unique=False)
        batch_op.create_index('ix_field_history_coin_field', ['coin_id', 'field_name'], unique=False)

    op.create_table('import_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('source_type', sa.String(length=50), nullable=False),
    sa.Column('source_id', sa.String(length=100), nullable=True),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('raw_data', sa.JSON(), nullable=True),
    sa.Column('import_method', sa.String(length=50), nullable=True),
    sa.Column('imported_by', sa.String(length=100), nullable=True),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_row', sa.Integer(), nullable=True),
    sa.Column('enriched_at', sa.DateTime(), nullable=True),
    sa.Column('enrichment_source', sa.String(length=50), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_import_records_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_records')),
    sa.UniqueConstraint('source_type', 'source_id', name='uq_import_source')
    )

    with op.batch_alter_table('import_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_records_coin_id'), ['coin_id'], unique=False)
        batch_op.create_index('ix_import_source_lookup', ['source_type', 'source_id'], unique=False)

    op.create_table('series_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('slot_number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('priority', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_slots_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_slots')),
    sa.UniqueConstraint('series_id', 'slot_number', name='uq_series_slot_number')
    )

    with op.batch_alter_table('series_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_slots_series_id'), ['series_id'], unique=False)

    op.create_table('coin_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('image_type', sa.String(length=20), nullable=False),
    sa.Column('file_path', sa.String(length=255), nullable=False),
    sa.Column('file_name', sa.String(length=100), nullable=True),
    sa.Column('mime_type', sa.String(length=50), nullable=True),
    sa.Column('size_bytes', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.Column('is_primary', sa.Boolean(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=True),
    sa.Column('perceptual_hash', sa.String(length=64), nullable=True),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('source_auction_id', sa.Integer(), nullable=True),
    sa.Column('source_house', sa.String(length=50), nullable=True),
    sa.Column('downloaded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_coin_images_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_auction_id'], ['auction_data_v2.id'], name=op.f('fk_coin_images_source_auction_id_auction_data_v2'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coin_images'))
    )

    with op.batch_alter_table('coin_images', schema=None) as batch_op:
        batch_op.create_index('ix_coin_image_hash', ['coin_id', 'perceptual_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_coin_images_coin_id'), ['coin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coin_images_perceptual_hash'), ['perceptual_hash'], unique=False)

    op.create_table('discrepancy_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('auction_data_id', sa.Integer(), nullable=True),
    sa.Column('audit_run_id', sa.Integer(), nullable=True),
    sa.Column('field_name', sa.String(length=50), nullable=False),
    sa.Column('current_value', sa.Text(), nullable=True),
    sa.Column('auction_value', sa.Text(), nullable=True),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('difference_type', sa.String(length=30), nullable=True),
    sa.Column('comparison_notes', sa.Text(), nullable=True),
    sa.Column('normalized_current', sa.Text(), nullable=True),
    sa.Column('normalized_auction', sa.Text(), nullable=True),
    sa.Column('source_house', sa.String(length=50), nullable=False),
    sa.Column('trust_level', sa.String(length=20), nullable=False),
    sa.Column('auto_acceptable', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('resolution_notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['auction_data_id'], ['auction_data_v2.id'], name=op.f('fk_discrepancy_records_auction_data_id_auction_data_v2'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['audit_run_id'], ['audit_runs.id'], name=op.f('fk_discrepancy_records_audit_run_id_audit_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_discrepancy_records_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discrepancy_records'))
    )

    with op.batch_alter_table('discrepancy_records', schema=None) as batch_op:
        batch_op.create_index('ix_discrepancy_coin_status', ['coin_id', 'status'], unique=False)
        batch_op.create_index('ix_discrepancy_status_trust', ['status', 'trust_level'], unique=False)

    op.create_table('enrichment_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('auction_data_id', sa.Integer(), nullable=True),
    sa.Column('audit_run_id', sa.Integer(), nullable=True),
    sa.Column('field_name', sa.String(length=50), nullable=False),
    sa.Column('suggested_value', sa.Text(), nullable=False),
    sa.Column('source_house', sa.String(length=50), nullable=False),
    sa.Column('trust_level', sa.String(length=20), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('auto_applicable', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.Column('applied', sa.Boolean(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['auction_data_id'], ['auction_data_v2.id'], name=op.f('fk_enrichment_records_auction_data_id_auction_data_v2'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['audit_run_id'], ['audit_runs.id'], name=op.f('fk_enrichment_records_audit_run_id_audit_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_enrichment_records_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrichment_records'))
    )

    with op.batch_alter_table('enrichment_records', schema=None) as batch_op:
        batch_op.create_index('ix_enrichment_coin_status', ['coin_id', 'status'], unique=False)
        batch_op.create_index('ix_enrichment_status_trust', ['status', 'trust_level'], unique=False)

    op.create_table('provenance_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('event_type', sa.String(length=50), nullable=False),
    sa.Column('event_date', sa.Date(), nullable=True),
    sa.Column('auction_house', sa.String(length=100), nullable=True),
    sa.Column('sale_series', sa.String(length=50), nullable=True),
    sa.Column('sale_number', sa.String(length=20), nullable=True),
    sa.Column('lot_number', sa.String(length=20), nullable=True),
    sa.Column('catalog_reference', sa.String(length=200), nullable=True),
    sa.Column('hammer_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('buyers_premium_pct', sa.Numeric(precision=4, scale=2), nullable=True),
    sa.Column('total_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('dealer_name', sa.String(length=100), nullable=True),
    sa.Column('collection_name', sa.String(length=100), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('receipt_available', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=True),
    sa.Column('auction_data_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['auction_data_id'], ['auction_data_v2.id'], name=op.f('fk_provenance_events_auction_data_id_auction_data_v2'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_provenance_events_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provenance_events'))
    )

    with op.batch_alter_table('provenance_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provenance_events_coin_id'), ['coin_id'], unique=False)

    op.create_table('series_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('slot_id', sa.Integer(), nullable=True),
    sa.Column('coin_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['coin_id'], ['coins_v2.id'], name=op.f('fk_series_memberships_coin_id_coins_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_memberships_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['series_slots.id'], name=op.f('fk_series_memberships_slot_id_series_slots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series_memberships')),
    sa.UniqueConstraint('series_id', 'coin_id', name='uq_series_membership_coin'),
    sa.UniqueConstraint('slot_id', name='uq_series_membership_slot')
    )

    with op.batch_alter_table('series_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_memberships_coin_id'), ['coin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_series_memberships_series_id'), ['series_id'], unique=False)

    op.create_table('image_auction_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('auction_data_id', sa.Integer(), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=False),
    sa.Column('source_house', sa.String(length=50), nullable=True),
    sa.Column('fetched_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['auction_data_id'], ['auction_data_v2.id'], name=op.f('fk_image_auction_sources_auction_data_id_auction_data_v2'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['image_id'], ['coin_images.id'], name=op.f('fk_image_auction_sources_image_id_coin_images'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image_auction_sources'))
    )

    with op.batch_alter_table('image_auction_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_image_auction_sources_image_id'), ['image_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('image_auction_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_image_auction_sources_image_id'))

    op.drop_table('image_auction_sources')

    with op.batch_alter_table('series_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_memberships_series_id'))
        batch_op.drop_index(batch_op.f('ix_series_memberships_coin_id'))

    op.drop_table('series_memberships')

    with op.batch_alter_table('provenance_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provenance_events_coin_id'))

    op.drop_table('provenance_events')

    with op.batch_alter_table('enrichment_records', schema=None) as batch_op:
        batch_op.drop_index('ix_enrichment_status_trust')
        batch_op.drop_index('ix_enrichment_coin_status')

    op.drop_table('enrichment_records')

    with op.batch_alter_table('discrepancy_records', schema=None) as batch_op:
        batch_op.drop_index('ix_discrepancy_status_trust')
        batch_op.drop_index('ix_discrepancy_coin_status')

    op.drop_table('discrepancy_records')

    with op.batch_alter_table('coin_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coin_images_perceptual_hash'))
        batch_op.drop_index(batch_op.f('ix_coin_images_coin_id'))
        batch_op.drop_index('ix_coin_image_hash')

    op.drop_table('coin_images')

    with op.batch_alter_table('series_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_slots_series_id'))

    op.drop_table('series_slots')

    with op.batch_alter_table('import_records', schema=None) as batch_op:
        batch_op.drop_index('ix_import_source_lookup')
        batch_op.drop_index(batch_op.f('ix_import_records_coin_id'))

    op.drop_table('import_records')

    with op.batch_alter_table('field_history', schema=None) as batch_op:
        batch_op.drop_index('ix_field_history_coin_field')
        batch_op.drop_index('ix_field_history_batch_coin')

    op.drop_table('field_history')

    with op.batch_alter_table('countermarks', schema=None) as batch_op:
        batch_op.drop_index('ix_countermarks_coin_type')
        batch_op.drop_index(batch_op.f('ix_countermarks_coin_id'))

    op.drop_table('countermarks')

    with op.batch_alter_table('coin_vocab_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coin_vocab_assignments_term_id'))
        batch_op.drop_index(batch_op.f('ix_coin_vocab_assignments_coin_id'))

    op.drop_table('coin_vocab_assignments')

    with op.batch_alter_table('coin_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coin_tags_tag'))
        batch_op.drop_index(batch_op.f('ix_coin_tags_coin_id'))

    op.drop_table('coin_tags')

    with op.batch_alter_table('coin_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coin_references_reference_type_id'))
        batch_op.drop_index(batch_op.f('ix_coin_references_coin_id'))

    op.drop_table('coin_references')

    op.drop_table('coin_monograms')

    with op.batch_alter_table('auction_data_v2', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auction_data_v2_source_lot_id'))
        batch_op.drop_index(batch_op.f('ix_auction_data_v2_reference_type_id'))
        batch_op.drop_index(batch_op.f('ix_auction_data_v2_coin_id'))
        batch_op.drop_index(batch_op.f('ix_auction_data_v2_auction_house'))
        batch_op.drop_index(batch_op.f('ix_auction_data_v2_auction_date'))

    op.drop_table('auction_data_v2')

    op.drop_table('series')

    with op.batch_alter_table('reference_match_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_match_attempts_reference_type_id'))

    op.drop_table('reference_match_attempts')

    with op.batch_alter_table('price_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_price_history_reference_type_id'))

    op.drop_table('price_history')

    with op.batch_alter_table('coins_v2', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coins_v2_year_start'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_reverse_die_id'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_obverse_die_id'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_mint_id'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_metal'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_issuer'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_issue_status'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_grading_state'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_denomination'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_category'))
        batch_op.drop_index(batch_op.f('ix_coins_v2_acquisition_date'))

    op.drop_table('coins_v2')

    with op.batch_alter_table('vocab_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vocab_terms_vocabulary'))
        batch_op.drop_index(batch_op.f('ix_vocab_terms_nomisma_id'))

    op.drop_table('vocab_terms')

    with op.batch_alter_table('reference_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reference_types_system'))
        batch_op.drop_index(batch_op.f('ix_reference_types_local_ref_normalized'))

    op.drop_table('reference_types')

    op.drop_table('monograms')

    op.drop_table('mints')

    with op.batch_alter_table('enrichment_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrichment_jobs_status'))

    op.drop_table('enrichment_jobs')

    op.drop_table('audit_runs')
