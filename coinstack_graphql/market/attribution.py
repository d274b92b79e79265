"""Attribution keys: one normalised key per coin TYPE, shared by coins, lots and prices.

A coin with a primary catalogue reference takes that type's key, ``<system>.<…>`` exactly
as ``reference_types.local_ref_normalized`` stores it ("ric.1(2).207", "crawford.443.1").
Without one, the key describes the type by its parts:
``type:<issuer>|<denomination>|<metal>|<mint or unknown>`` with each part slugged
("type:hadrian|sestertius|orichalcum|rome"). Mints go through RIC's mint names first, so
"Roma" and "Rome", "Lugdunum" and "Lyon" give one key. See docs/market.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auctions.models import AuctionData
from coinstack_graphql.coins.enums import Metal
from coinstack_graphql.coins.models import Coin, Mint
from coinstack_graphql.references.citations import (
    RIC_MINTS,
    CitationError,
    ParsedCitation,
    parse_citation,
)
from coinstack_graphql.references.models import CoinReference, ReferenceSystem, ReferenceType

TYPE_PREFIX = "type:"
UNKNOWN_MINT = "unknown"
_CHUNK = 500  # IN lists stay under both engines' bind-parameter limits
_SYSTEMS = frozenset(s.value for s in ReferenceSystem)
_REFERENCE_KEY = re.compile(r"[a-z]+\.\S+")
_SLUG = re.compile(r"^[a-z0-9]+(?:_[a-z0-9]+)*$")
# Auction lots write metals the way catalogues abbreviate them.
_METAL_WORDS = {
    "av": "gold", "au": "gold", "gold": "gold", "ar": "silver", "silver": "silver",
    "el": "electrum", "electrum": "electrum", "bi": "billon", "billon": "billon",
    "ae": "ae", "æ": "ae", "bronze": "bronze", "cu": "copper", "copper": "copper",
    "orichalcum": "orichalcum", "brass": "orichalcum", "potin": "potin", "pb": "lead",
    "lead": "lead",
}  # fmt: skip


class AttributionKeyError(ValueError):
    """Text that is neither an attribution key nor a readable citation."""


@dataclass(frozen=True)
class TypeParts:
    """The parts of a ``type:`` key."""

    issuer: str
    denomination: str
    metal: str
    mint: str


def slug(text: str) -> str:
    """ASCII, lowercase, runs of anything else as one ``_``: "Constantine I" -> constantine_i."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def metal_slug(metal: Metal | str) -> str:
    """The metal as a coin stores it; lot abbreviations (AR, AV, Æ) mapped onto it."""
    raw = metal.value if isinstance(metal, Metal) else str(metal)
    word = raw.strip().lower()
    return _METAL_WORDS.get(word) or slug(word) or Metal.UNCERTAIN.value


def mint_slug(mint: str | None) -> str:
    """The mint's slug, RIC's English name when it is one of RIC's mints."""
    if mint is None or not slug(mint):
        return UNKNOWN_MINT
    canonical = RIC_MINTS.get(slug(mint))
    return slug(canonical or mint)


def type_key(issuer: str, denomination: str, metal: Metal | str, mint: str | None) -> str:
    """``type:issuer|denomination|metal|mint`` for a type without a catalogue reference."""
    parts = (slug(issuer), slug(denomination), metal_slug(metal), mint_slug(mint))
    if not parts[0] or not parts[1]:
        raise AttributionKeyError("a type key needs an issuer and a denomination")
    return TYPE_PREFIX + "|".join(parts)


def reference_key(system: ReferenceSystem | str, normalized: str) -> str:
    """A reference type's key: its normalised reference, prefixed by its system if bare."""
    name = system.value if isinstance(system, ReferenceSystem) else str(system)
    return normalized if normalized.startswith(f"{name}.") else f"{name}.{normalized}"


def attribution_key_for_citation(citation: str) -> str:
    """The key of a citation ("RIC I² 207" -> "ric.1(2).207"); CitationError if unreadable."""
    parsed = parse_citation(citation)
    return reference_key(parsed.system, parsed.normalized)


def parse_type_key(key: str) -> TypeParts | None:
    """The parts of a ``type:`` key, or None for a reference key."""
    if not key.startswith(TYPE_PREFIX):
        return None
    return TypeParts(*key[len(TYPE_PREFIX) :].split("|"))


def check_attribution_key(key: str) -> str:
    """`key` if it is a well-formed key; AttributionKeyError saying what is expected."""
    if key.startswith(TYPE_PREFIX):
        parts = key[len(TYPE_PREFIX) :].split("|")
        if len(parts) == 4 and all(_SLUG.match(p) for p in parts):
            return key
        raise AttributionKeyError(
            f"{key!r} is not a type key: expected 'type:issuer|denomination|metal|mint' in "
            "lowercase slugs, e.g. 'type:hadrian|sestertius|orichalcum|rome'"
        )
    system = key.split(".", 1)[0]
    if _REFERENCE_KEY.fullmatch(key) and system in _SYSTEMS:
        return key
    raise AttributionKeyError(
        f"{key!r} is not an attribution key: expected a normalised reference such as "
        "'ric.1(2).207' or 'crawford.443.1', or a type key such as "
        "'type:hadrian|sestertius|orichalcum|rome'"
    )


def resolve_attribution_key(text: str) -> str:
    """A key given as a key or as a citation ("RIC I² 207"); AttributionKeyError otherwise."""
    candidate = text.strip()
    try:
        return check_attribution_key(candidate)
    except AttributionKeyError as not_key:
        if candidate.startswith(TYPE_PREFIX) or _REFERENCE_KEY.fullmatch(candidate):
            raise
        try:
            return attribution_key_for_citation(candidate)
        except CitationError as exc:
            raise AttributionKeyError(f"{not_key} — nor a citation: {exc}") from None


async def attribution_keys(session: AsyncSession, coin_ids: Iterable[int]) -> dict[int, str]:
    """The key of each existing coin among `coin_ids` (two queries per 500 coins)."""
    ids = list(dict.fromkeys(coin_ids))
    keys: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        primaries = await session.execute(
            select(CoinReference.coin_id, ReferenceType.system, ReferenceType.local_ref_normalized)
            .join(ReferenceType, ReferenceType.id == CoinReference.reference_type_id)
            .where(CoinReference.coin_id.in_(chunk), CoinReference.is_primary.is_(True))
            # Two primaries would be a data fault; the oldest citation wins, deterministically.
            .order_by(CoinReference.coin_id, CoinReference.id)
        )
        for coin_id, system, normalized in primaries.all():
            keys.setdefault(coin_id, reference_key(system, normalized))
        coins = await session.execute(
            select(Coin.id, Coin.issuer, Coin.denomination, Coin.metal, Coin.mint, Mint.name)
            .outerjoin(Mint, Mint.id == Coin.mint_id)
            .where(Coin.id.in_(chunk))
        )
        for coin_id, issuer, denomination, metal, mint_text, mint_name in coins.all():
            if coin_id not in keys:
                keys[coin_id] = type_key(issuer, denomination, metal, mint_text or mint_name)
    return keys


@dataclass(frozen=True)
class LotAttribution:
    """An auction lot's key and what the market series row can record about it."""

    key: str
    catalog_ref: str | None
    denomination: str | None
    metal: str | None


def _parsed_primary(lot: AuctionData) -> ParsedCitation | None:
    if not lot.primary_reference:
        return None
    try:
        return parse_citation(lot.primary_reference)
    except CitationError:
        return None


def _lot_type_key(lot: AuctionData) -> str | None:
    if not (lot.ruler and lot.denomination and lot.metal):
        return None
    try:
        return type_key(lot.ruler, lot.denomination, lot.metal, lot.mint)
    except AttributionKeyError:
        return None


async def auction_lot_attributions(
    session: AsyncSession, lots: Sequence[AuctionData], *, by_type: bool = True
) -> dict[int, LotAttribution]:
    """Keys of auction lots by lot id: reference type, else parsed primary reference, else
    (when `by_type`) the type key from ruler/denomination/metal/mint; lots with none are
    left out."""
    type_ids = {lot.reference_type_id for lot in lots if lot.reference_type_id is not None}
    types: dict[int, tuple[str, str, str]] = {}
    for chunk in _chunks(sorted(type_ids)):
        rows = await session.execute(
            select(
                ReferenceType.id,
                ReferenceType.system,
                ReferenceType.local_ref_normalized,
                ReferenceType.local_ref,
            ).where(ReferenceType.id.in_(chunk))
        )
        types.update({tid: (system, norm, ref) for tid, system, norm, ref in rows.all()})
    found: dict[int, LotAttribution] = {}
    for lot in lots:
        metal = metal_slug(lot.metal) if lot.metal else None
        linked = types.get(lot.reference_type_id) if lot.reference_type_id else None
        parsed = None if linked else _parsed_primary(lot)
        key: str | None
        if linked:
            key, ref = reference_key(linked[0], linked[1]), linked[2]
        elif parsed:
            key, ref = reference_key(parsed.system, parsed.normalized), parsed.local_ref
        else:
            key, ref = (_lot_type_key(lot) if by_type else None), None
        if key is not None:
            found[lot.id] = LotAttribution(key, ref, lot.denomination, metal)
    return found


async def auction_lot_attribution_key(session: AsyncSession, lot: AuctionData) -> str | None:
    """One lot's key (see `auction_lot_attributions`)."""
    found = await auction_lot_attributions(session, [lot])
    return found[lot.id].key if lot.id in found else None


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]
