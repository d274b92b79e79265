"""`coinstack demo load`: the demo collection written into a migrated database.

Everything is written in one transaction, so a failed load leaves nothing behind, and
an `import_records` row per coin (source "demo") makes a second load a no-op. Rows are
written directly (the data is known to be valid); the derived parts — coin grading
columns from the last grading event, reference types from parsed citations, automatic
catalogue links, collection counts, market series and valuations — come from the same
functions the services use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auctions.audit_models import ImportRecord
from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.coins.children import CoinTag, Countermark, ProvenanceEvent
from coinstack_graphql.coins.models import Coin, Mint
from coinstack_graphql.coins.treatments import parse_secondary_treatments
from coinstack_graphql.collections.models import Collection, CollectionCoin, CollectionType
from coinstack_graphql.db.engine import create_null_pool_engine, session_factory
from coinstack_graphql.demo import catalogue as cat
from coinstack_graphql.grading.certificates import verification_url
from coinstack_graphql.grading.models import CensusSnapshot, GradingHistory, RarityAssessment
from coinstack_graphql.market.models import PriceAlert
from coinstack_graphql.references.citations import CitationError, ParsedCitation, parse_citation
from coinstack_graphql.references.external_ids import external_targets
from coinstack_graphql.references.models import (
    CoinReference,
    ExternalCatalogLink,
    ReferenceConcordance,
    ReferenceType,
)
from coinstack_graphql.series.models import Series, SeriesMembership, SeriesSlot
from coinstack_graphql.vocab.models import VocabTerm
from coinstack_graphql.wishlist.models import WishlistItem

DEMO_SOURCE = "demo"
_COIN_COLUMNS = {c.key for c in Coin.__table__.columns}
_NOT_COLUMNS = {
    "key", "references", "supplementary_references", "tags", "provenance", "grading_history",
    "rarity_assessments", "census_snapshots", "countermarks", "mint",
}


@dataclass
class DemoSummary:
    loaded: bool
    counts: dict[str, int]

    def describe(self) -> str:
        head = "Demo collection loaded:" if self.loaded else "Demo collection already present:"
        parts = ", ".join(f"{n} {name}" for name, n in self.counts.items())
        return f"{head} {parts}."


async def load_demo(database_url: str) -> DemoSummary:
    """Load the demo collection unless it is already there."""
    engine = create_null_pool_engine(database_url)
    try:
        async with session_factory(engine)() as session:
            async with session.begin():
                already = await session.scalar(
                    select(func.count()).select_from(ImportRecord).where(
                        ImportRecord.source_type == DEMO_SOURCE
                    )
                )
                if already:
                    return DemoSummary(False, await _counts(session))
                await _load(session)
            async with session.begin():
                await _derive(session)
            return DemoSummary(True, await _counts(session))
    finally:
        await engine.dispose()


async def _counts(session: AsyncSession) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, model in (
        ("coins", Coin), ("mints", Mint), ("reference types", ReferenceType),
        ("grading events", GradingHistory), ("auction lots", AuctionData),
        ("collections", Collection), ("wishlist items", WishlistItem),
        ("price alerts", PriceAlert),
    ):
        out[name] = int(await session.scalar(select(func.count()).select_from(model)) or 0)
    return out


class _Types:
    """Find-or-create reference types by parsed citation, with automatic catalogue links."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.by_key: dict[tuple[str, str], ReferenceType] = {}

    async def get(self, citation: str, authority: str | None = None) -> ReferenceType:
        parsed = parse_citation(citation)
        key = (parsed.system, parsed.normalized)
        found = self.by_key.get(key)
        if found is None:
            found = ReferenceType(
                system=parsed.system, local_ref=parsed.local_ref,
                local_ref_normalized=parsed.normalized, volume=parsed.volume,
                number=parsed.number, edition=parsed.edition, mint=parsed.mint,
                sng_volume=parsed.sng_volume, number_numeric=parsed.number_numeric,
                lookup_status="pending",
            )
            self.session.add(found)
            await self.session.flush()
            self.by_key[key] = found
            await self._links(found, parsed, authority)
        return found

    async def _links(self, ref: ReferenceType, parsed: ParsedCitation, authority: str | None) -> None:
        for target in external_targets(parsed, authority):
            self.session.add(ExternalCatalogLink(
                reference_type_id=ref.id, catalog_source=target.catalog_source,
                external_id=target.external_id, external_url=target.external_url,
            ))
            if ref.external_id is None:
                ref.external_id, ref.external_url = target.external_id, target.external_url


async def _load(session: AsyncSession) -> None:
    mints = {}
    for m in cat.MINTS:
        row = Mint(name=m.name, province=m.province, modern_location=m.modern_location,
                   latitude=Decimal(str(m.latitude)), longitude=Decimal(str(m.longitude)))
        session.add(row)
        mints[m.name] = row
    terms: dict[tuple[str, str], VocabTerm] = {}
    for t in cat.VOCAB_TERMS:
        term = VocabTerm(vocabulary=t.vocabulary, canonical_name=t.canonical_name,
                         nomisma_id=t.nomisma_id, description=t.description)
        session.add(term)
        terms[(t.vocabulary, t.canonical_name)] = term
    await session.flush()
    types = _Types(session)
    coins: dict[str, Coin] = {}
    for demo in cat.COINS:
        coin = await _coin(session, demo, mints, terms)
        coins[demo.key] = coin
        await _children(session, demo, coin, types)
    for group in cat.CONCORDANCE_GROUPS:
        members = [await types.get(citation) for citation in group]
        group_id = f"demo-{members[0].local_ref_normalized}"
        for ref in {m.id: m for m in members}.values():
            session.add(ReferenceConcordance(concordance_group_id=group_id,
                                             reference_type_id=ref.id, source="literature"))
    for lot in cat.AUCTION_LOTS:
        values = {f.name: getattr(lot, f.name) for f in fields(lot) if f.name != "coin_key"}
        row = AuctionData(**values)
        if lot.coin_key:
            row.coin_id = coins[lot.coin_key].id
        try:
            row.reference_type_id = (await types.get(lot.primary_reference)).id
        except CitationError:
            pass
        session.add(row)
    await session.flush()
    await _organisation(session, coins)


async def _coin(
    session: AsyncSession, demo: Any, mints: dict[str, Mint], terms: dict[tuple[str, str], VocabTerm]
) -> Coin:
    values = {
        f.name: getattr(demo, f.name)
        for f in fields(demo)
        if f.name not in _NOT_COLUMNS and f.name in _COIN_COLUMNS
    }
    coin = Coin(**values)
    if demo.secondary_treatments:  # the V3 flags follow the V2.1 blob, as in the migration
        for column, value in parse_secondary_treatments(demo.secondary_treatments).items():
            if value not in (None, False):
                setattr(coin, column, value)
    coin.mint = demo.mint
    if demo.mint and demo.mint in mints:
        coin.mint_id = mints[demo.mint].id
        coin.mint_term_id = getattr(terms.get(("mint", demo.mint)), "id", None)
    coin.issuer_term_id = getattr(terms.get(("issuer", demo.issuer)), "id", None)
    coin.denomination_term_id = getattr(terms.get(("denomination", demo.denomination)), "id", None)
    if demo.grading_history:  # the coin shows its current (last) grading event
        last = demo.grading_history[-1]
        coin.grading_state = last.grading_state
        coin.grade_service = last.grade_service
        coin.grade = last.grade
        coin.certification_number = last.certification_number
        coin.grade_numeric = last.grade_numeric
        coin.strike_quality = last.strike_quality
        coin.surface_quality = last.surface_quality
        coin.ngc_strike_grade = last.strike_quality if last.grade_service == "ngc" else None
        coin.ngc_surface_grade = last.surface_quality if last.grade_service == "ngc" else None
        coin.has_star_designation = last.has_star
    if coin.certification_number and coin.grade_service in ("ngc", "pcgs"):
        coin.verification_url = verification_url(
            str(coin.grade_service), coin.certification_number, coin.grade_numeric
        )
    session.add(coin)
    await session.flush()
    session.add(ImportRecord(coin_id=coin.id, source_type=DEMO_SOURCE, source_id=demo.key,
                             import_method="demo", imported_by="coinstack demo load"))
    return coin


async def _children(session: AsyncSession, demo: Any, coin: Coin, types: _Types) -> None:
    for i, citation in enumerate(demo.references):
        ref = await types.get(citation, authority=demo.issuer)
        session.add(CoinReference(coin_id=coin.id, reference_type_id=ref.id, is_primary=i == 0))
    for tag in dict.fromkeys(demo.tags):
        session.add(CoinTag(coin_id=coin.id, tag=tag))
    for order, event in enumerate(demo.provenance):
        data = {f.name: getattr(event, f.name) for f in fields(event)}
        total = None
        if event.hammer_price is not None and event.buyers_premium_pct is not None:
            total = (event.hammer_price * (1 + event.buyers_premium_pct / 100)).quantize(Decimal("0.01"))
        session.add(ProvenanceEvent(coin_id=coin.id, sort_order=order, total_price=total, **data))
    events = demo.grading_history or ()
    if not events:  # every coin's history starts somewhere: its present state
        session.add(GradingHistory(
            coin_id=coin.id, grading_state=coin.grading_state, grade=coin.grade,
            grade_service=coin.grade_service, event_type="initial", sequence_order=0,
            is_current=True,
        ))
    for seq, event in enumerate(events):
        url = None
        if event.certification_number and event.grade_service in ("ngc", "pcgs"):
            url = verification_url(event.grade_service, event.certification_number, event.grade_numeric)
        session.add(GradingHistory(
            coin_id=coin.id, grading_state=event.grading_state, grade=event.grade,
            grade_service=event.grade_service, certification_number=event.certification_number,
            strike_quality=None if event.strike_quality is None else str(event.strike_quality),
            surface_quality=None if event.surface_quality is None else str(event.surface_quality),
            grade_numeric=event.grade_numeric, has_star=event.has_star, verification_url=url,
            event_type=event.event_type, graded_date=event.graded_date, notes=event.notes,
            sequence_order=seq, is_current=seq == len(events) - 1,
        ))
    for r in demo.rarity_assessments:
        session.add(RarityAssessment(
            coin_id=coin.id, rarity_code=r.rarity_code, rarity_system=r.rarity_system,
            source_type=r.source_type, source_name=r.source_name, is_primary=r.is_primary,
            source_date=r.source_date, notes=r.notes,
        ))
    for c in demo.census_snapshots:
        finer_share = (c.total_graded - c.coins_at_grade - c.coins_finer) / c.total_graded * 100
        session.add(CensusSnapshot(
            coin_id=coin.id, service=c.service, snapshot_date=c.snapshot_date,
            total_graded=c.total_graded, grade_breakdown=c.grade_breakdown,
            coins_at_grade=c.coins_at_grade, coins_finer=c.coins_finer,
            percentile=Decimal(str(round(finer_share, 2))), catalog_reference=c.catalog_reference,
        ))
    for mark in demo.countermarks:
        session.add(Countermark(
            coin_id=coin.id, countermark_type=mark.countermark_type, placement=mark.position,
            condition=mark.condition, punch_shape=mark.punch_shape, description=mark.description,
            authority=mark.authority, reference=mark.reference, notes=mark.notes,
        ))


async def _organisation(session: AsyncSession, coins: dict[str, Coin]) -> None:
    collections: dict[str, Collection] = {}
    for demo in sorted(cat.COLLECTIONS, key=lambda c: c.parent_key is not None):
        kind = demo.collection_type if demo.collection_type in ("custom", "smart") else "custom"
        row = Collection(
            name=demo.name, slug=demo.slug, description=demo.description,
            collection_type=CollectionType(kind), smart_filter=_criteria_json(demo.smart_filter),
            is_favorite=demo.is_favorite, display_order=demo.display_order,
            parent_id=collections[demo.parent_key].id if demo.parent_key else None,
        )
        session.add(row)
        await session.flush()
        collections[demo.key] = row
        for position, key in enumerate(demo.coin_keys):
            session.add(CollectionCoin(collection_id=row.id, coin_id=coins[key].id, position=position))
    slots: dict[tuple[str, int], SeriesSlot] = {}
    for demo in cat.SERIES:
        series = Series(name=demo.name, slug=demo.slug, description=demo.description,
                        series_type=demo.series_type, target_count=len(demo.slots))
        session.add(series)
        await session.flush()
        filled = 0
        for s in demo.slots:
            slot = SeriesSlot(series_id=series.id, slot_number=s.slot_number, name=s.name,
                              description=s.description, priority=s.priority)
            session.add(slot)
            await session.flush()
            slots[(demo.key, s.slot_number)] = slot
            if s.coin_key:
                filled += 1
                session.add(SeriesMembership(series_id=series.id, slot_id=slot.id,
                                             coin_id=coins[s.coin_key].id))
        series.is_complete = filled == len(demo.slots)
    wishes: dict[str, WishlistItem] = {}
    for w in cat.WISHLIST:
        item = WishlistItem(
            title=w.title, description=w.description, issuer=w.issuer, mint=w.mint,
            year_start=w.year_start, year_end=w.year_end, denomination=w.denomination,
            catalog_ref=w.catalog_ref, min_grade=w.min_grade, max_price=w.max_price,
            priority=w.priority, status=w.status, notes=w.notes,
            series_slot_id=slots[w.series_slot].id if w.series_slot else None,
        )
        session.add(item)
        wishes[w.key] = item
    await session.flush()
    for a in cat.PRICE_ALERTS:
        key = _attribution_key(a.attribution)
        session.add(PriceAlert(
            attribution_key=key, trigger_type=a.trigger_type, threshold_value=a.threshold_value,
            threshold_pct=a.threshold_pct, status=a.status,
            coin_id=coins[a.coin_key].id if a.coin_key else None,
            wishlist_id=wishes[a.wishlist_key].id if a.wishlist_key else None,
            expires_at=datetime.combine(a.expires_at, time()) if a.expires_at else None,
            window_months=a.window_months, notes=a.notes,
        ))
    await session.flush()


# The demo writes filters the way a person would; stored filters use CoinCriteria's names.
_FILTER_KEYS = {"category": "categories", "metal": "metals", "grading_state": "gradingStates",
                "denomination": "denominations", "issuer": "issuers"}


def _criteria_json(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    if spec is None:
        return None
    from coinstack_graphql.coins.filters import criteria_from_json

    converted = {
        _FILTER_KEYS.get(k, k): ([v] if k in _FILTER_KEYS and not isinstance(v, list) else v)
        for k, v in spec.items()
    }
    return criteria_from_json(converted).to_json()


def _attribution_key(citation: str) -> str:
    try:
        from coinstack_graphql.market.attribution import attribution_key_for_citation

        return attribution_key_for_citation(citation)
    except ImportError:  # pragma: no cover - before the market module exists
        return parse_citation(citation).normalized


async def _derive(session: AsyncSession) -> None:
    """Figures computed from the loaded rows: collection stats, market series, valuations."""
    from coinstack_graphql.collections.stats import refresh_collection_stats

    try:
        from coinstack_graphql.market import data_service, valuation
    except ImportError:  # pragma: no cover - market module still being written
        data_service = valuation = None  # type: ignore[assignment]
    if data_service is not None and valuation is not None:
        from coinstack_graphql.settings import get_settings

        settings = get_settings()
        await data_service.sync_auction_realized_prices(session)
        await valuation.revalue_portfolio(
            session, rates=_demo_rates(settings.currency_rates),
            window_months=settings.valuation_window_months, today=cat.DEMO_AS_OF,
        )
    await refresh_collection_stats(session)


def _demo_rates(configured: Any) -> dict[str, Decimal]:
    """The user's rates, completed with indicative 2026 rates for the demo's currencies."""
    rates = {"USD": Decimal("1"), "EUR": Decimal("1.08"), "GBP": Decimal("1.27"),
             "CHF": Decimal("1.13")}
    rates.update(dict(configured))
    return rates


__all__: Sequence[str] = ["load_demo", "DemoSummary"]
