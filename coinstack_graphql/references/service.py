"""Coin references and reference types: a citation parsed once, one type shared by every coin.

- A citation ("RIC I² 207") is read by `references.citations` into its canonical key; the
  reference type with that (system, key) is reused or created with its parsed parts. A type
  a coin cites gets the external links its citation pins down (`links`), OCRE's with the
  issuer of that coin; links that exist are left alone.
- A coin cites a type once (Conflict otherwise).
- Primary: a coin's first reference is primary whatever the input says; marking another one
  primary demotes the old; the primary cannot be un-marked directly (mark its replacement);
  removing it promotes the coin's earliest remaining reference, the first one cited.
- `upsert_reference_type` edits a type's catalogue fields, finding it by `id` or by the
  citation in `reference` (creating it when no type has that citation yet).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.coins.validation import check_range, coerce_bool, normalise_fields
from coinstack_graphql.errors import Conflict, DomainError, NotFound, Required
from coinstack_graphql.grading.models import RarityCode
from coinstack_graphql.references.citations import CitationError, ParsedCitation, parse_citation
from coinstack_graphql.references.links import add_deterministic_links, reference_type_or_404
from coinstack_graphql.references.models import CoinReference, ReferencePosition, ReferenceType

DETAIL_FIELDS = frozenset(
    {
        "plate_coin", "position", "variant_notes", "page", "plate", "note_number", "notes",
        "attribution_confidence", "catalog_rarity_note", "disagreement_note",
    }
)  # fmt: skip
TYPE_FIELDS = frozenset(
    {"external_id", "external_url", "publication_year", "rarity_code", "citation", "payload"}
)
EARLIEST_PUBLICATION = 1700  # before Eckhel's Doctrina (1792), so only typos fall outside


async def add_coin_reference(
    session: AsyncSession,
    coin_id: int,
    citation: str,
    *,
    is_primary: bool = False,
    plate_coin: bool = False,
    position: ReferencePosition | str | None = None,
    page: str | None = None,
    plate: str | None = None,
    note_number: str | None = None,
    variant_notes: str | None = None,
    notes: str | None = None,
    attribution_confidence: str | None = None,
    catalog_rarity_note: str | None = None,
    disagreement_note: str | None = None,
) -> CoinReference:
    """Cite a catalogue type on a coin, creating the type (and its links) if it is new."""
    coin = await _coin(session, coin_id)
    details = {
        "plate_coin": plate_coin, "position": position, "page": page, "plate": plate,
        "note_number": note_number, "variant_notes": variant_notes, "notes": notes,
        "attribution_confidence": attribution_confidence,
        "catalog_rarity_note": catalog_rarity_note, "disagreement_note": disagreement_note,
    }  # fmt: skip
    data = normalise_fields(CoinReference, details, DETAIL_FIELDS)
    wanted = coerce_bool(is_primary, ["isPrimary"])
    parsed = parse_citation_field(citation, ["citation"])
    existing = await _references(session, coin_id)
    found = await find_reference_type(session, parsed)
    if found is not None and any(r.reference_type_id == found.id for r in existing):
        raise Conflict(f"this coin already cites {found.local_ref}", field=["citation"])
    reference_type = found or await create_reference_type(session, parsed)
    await add_deterministic_links(session, reference_type, coin.issuer)
    primary = wanted or not any(r.is_primary for r in existing)
    if primary:
        await _clear_primary(session, coin_id)
    reference = CoinReference(
        coin_id=coin_id, reference_type_id=reference_type.id, is_primary=primary, **data
    )
    session.add(reference)
    await session.flush()
    return reference


async def update_coin_reference(
    session: AsyncSession, reference_id: int, changes: Mapping[str, Any]
) -> CoinReference:
    """Change the keys present in `changes` (None clears); a new `citation` re-points it."""
    unknown = set(changes) - DETAIL_FIELDS - {"citation", "is_primary"}
    if unknown:
        raise TypeError(f"not coin reference fields: {', '.join(sorted(unknown))}")
    reference = await _reference(session, reference_id)
    coin = await _coin(session, reference.coin_id)
    details = {k: v for k, v in changes.items() if k not in ("citation", "is_primary")}
    data = normalise_fields(CoinReference, details, DETAIL_FIELDS)
    if "plate_coin" in data and data["plate_coin"] is None:
        data["plate_coin"] = False
    target: ParsedCitation | None = None
    if "citation" in changes:
        target = parse_citation_field(changes["citation"], ["citation"])
    wanted = _primary_change(reference, changes)
    reference_type = None
    if target is not None:
        reference_type = await find_reference_type(session, target)
        if reference_type is None or reference_type.id != reference.reference_type_id:
            cited = {r.reference_type_id for r in await _references(session, coin.id)}
            if reference_type is not None and reference_type.id in cited:
                raise Conflict(
                    f"this coin already cites {reference_type.local_ref}", field=["citation"]
                )
            reference_type = reference_type or await create_reference_type(session, target)
            await add_deterministic_links(session, reference_type, coin.issuer)
            data["reference_type_id"] = reference_type.id
    if wanted and not reference.is_primary:
        await _clear_primary(session, coin.id)
        data["is_primary"] = True
    for key, value in data.items():
        setattr(reference, key, value)
    await session.flush()
    return reference


async def remove_coin_reference(session: AsyncSession, reference_id: int) -> int:
    """Delete a citation; a removed primary hands over to the earliest one left.

    Returns the coin's id; the reference type stays in the catalogue.
    """
    reference = await _reference(session, reference_id)
    coin = await _coin(session, reference.coin_id)
    was_primary = bool(reference.is_primary)
    await session.delete(reference)
    await session.flush()
    if was_primary:
        successor = await session.scalar(
            select(CoinReference)
            .where(CoinReference.coin_id == coin.id)
            .order_by(CoinReference.id)
            .limit(1)
        )
        if successor is not None:
            successor.is_primary = True
            await session.flush()
    return coin.id


async def upsert_reference_type(session: AsyncSession, values: Mapping[str, Any]) -> ReferenceType:
    """Edit a type's catalogue fields; `id` or `reference` (a citation) says which type."""
    rest = {k: v for k, v in values.items() if k not in ("id", "reference")}
    data = _type_fields(rest)
    type_id, reference = values.get("id"), values.get("reference")
    parsed = None if reference is None else parse_citation_field(reference, ["reference"])
    if type_id is not None:
        reference_type = await reference_type_or_404(session, type_id, field=["id"])
        if parsed is not None and (parsed.system, parsed.normalized) != (
            reference_type.system,
            reference_type.local_ref_normalized,
        ):
            message = f"type {type_id} is {reference_type.local_ref}, not {parsed.local_ref}"
            raise Conflict(message, field=["reference"])
    elif parsed is not None:
        found = await find_reference_type(session, parsed)
        reference_type = found or await create_reference_type(session, parsed)
        await add_deterministic_links(
            session, reference_type, await _citing_issuer(session, reference_type)
        )
    else:
        raise Required("give the type's id or its citation in reference", field=["reference"])
    for key, value in data.items():
        setattr(reference_type, key, value)
    await session.flush()
    return reference_type


# ---- reference types --------------------------------------------------------------------


def parse_citation_field(text: Any, field: list[str]) -> ParsedCitation:
    """Parse a citation given in the input field `field`; the error says what was expected."""
    if text is None:
        raise Required("a citation such as 'RIC I² 207' is required", field=field)
    if not isinstance(text, str):
        raise DomainError(f"expected a citation as text; got {text!r}", field=field)
    try:
        parsed = parse_citation(text)
    except CitationError as exc:
        raise DomainError(str(exc), field=field) from None
    if len(parsed.local_ref) > 100 or len(parsed.normalized) > 100:
        raise DomainError("a citation is at most 100 characters", field=field)
    return parsed


async def find_reference_type(
    session: AsyncSession, parsed: ParsedCitation
) -> ReferenceType | None:
    return await session.scalar(
        select(ReferenceType).where(
            ReferenceType.system == parsed.system,
            ReferenceType.local_ref_normalized == parsed.normalized,
        )
    )


async def create_reference_type(session: AsyncSession, parsed: ParsedCitation) -> ReferenceType:
    """A new catalogue type from a parsed citation (the caller checked it does not exist)."""
    reference_type = ReferenceType(
        system=parsed.system,
        local_ref=parsed.local_ref,
        local_ref_normalized=parsed.normalized,
        volume=parsed.volume,
        number=parsed.number,
        edition=parsed.edition,
        mint=parsed.mint,
        sng_volume=parsed.sng_volume,
        number_numeric=parsed.number_numeric,
    )
    session.add(reference_type)
    await session.flush()
    return reference_type


def _type_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(values) - TYPE_FIELDS
    if unknown:
        raise TypeError(f"not editable reference type fields: {', '.join(sorted(unknown))}")
    data = normalise_fields(ReferenceType, values, TYPE_FIELDS)
    this_year = datetime.now(UTC).year
    check_range(
        data.get("publication_year"), ["publicationYear"], low=EARLIEST_PUBLICATION, high=this_year
    )
    url = data.get("external_url")
    if url is not None and not url.lower().startswith(("http://", "https://")):
        raise DomainError(
            f"externalUrl must be an http or https address; got {url!r}", field=["externalUrl"]
        )
    code = data.get("rarity_code")
    if code is not None:
        try:
            data["rarity_code"] = RarityCode(code.upper()).value
        except ValueError:
            allowed = ", ".join(c.value for c in RarityCode)
            raise DomainError(
                f"{code!r} is not a rarity code; expected one of {allowed}", field=["rarityCode"]
            ) from None
    return data


async def _citing_issuer(session: AsyncSession, reference_type: ReferenceType) -> str | None:
    """The issuer of the first coin citing the type: OCRE numbers RIC I–V per emperor."""
    return await session.scalar(
        select(Coin.issuer)
        .join(CoinReference, CoinReference.coin_id == Coin.id)
        .where(CoinReference.reference_type_id == reference_type.id)
        .order_by(CoinReference.id)
        .limit(1)
    )


# ---- coin references --------------------------------------------------------------------


async def _coin(session: AsyncSession, coin_id: int) -> Coin:
    """The coin, row-locked so that two writers of its primary flag take turns (PostgreSQL)."""
    coin = await session.scalar(select(Coin).where(Coin.id == coin_id).with_for_update())
    if coin is None:
        raise NotFound(f"no coin with id {coin_id}", field=["coinId"])
    return coin


async def _reference(session: AsyncSession, reference_id: int) -> CoinReference:
    reference = await session.get(CoinReference, reference_id)
    if reference is None:
        raise NotFound(f"no coin reference with id {reference_id}", field=["coinReferenceId"])
    return reference


async def _references(session: AsyncSession, coin_id: int) -> list[CoinReference]:
    rows = await session.scalars(select(CoinReference).where(CoinReference.coin_id == coin_id))
    return list(rows)


def _primary_change(reference: CoinReference, changes: Mapping[str, Any]) -> bool:
    if "is_primary" not in changes:
        return False
    if changes["is_primary"] is None:
        raise Required("isPrimary cannot be cleared", field=["isPrimary"])
    wanted = coerce_bool(changes["is_primary"], ["isPrimary"])
    if not wanted and reference.is_primary:
        raise Conflict(
            "a coin with references keeps one primary: mark the reference that should replace "
            "this one as primary instead",
            field=["isPrimary"],
        )
    return wanted


async def _clear_primary(session: AsyncSession, coin_id: int) -> None:
    await session.execute(
        update(CoinReference)
        .where(CoinReference.coin_id == coin_id, CoinReference.is_primary.is_(True))
        .values(is_primary=False)
    )
