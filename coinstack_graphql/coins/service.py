"""Writes of a coin's own columns: create, partial update, delete, undo of a history batch."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.enums import GradeService
from coinstack_graphql.coins.history import batch_rows, json_safe, record_field_changes
from coinstack_graphql.coins.models import Coin, Mint
from coinstack_graphql.coins.validation import (
    TERM_FIELDS,
    blame,
    camel,
    check_coin_consistency,
    check_coin_field,
    normalise_fields,
    require_fields,
    writable_columns,
)
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.db.registry import metadata
from coinstack_graphql.errors import Conflict, DomainError, NotFound
from coinstack_graphql.grading.certificates import (
    CertificateError,
    validate_cert_number,
    verification_url,
)
from coinstack_graphql.series.models import Series, SeriesMembership
from coinstack_graphql.vocab.models import CoinVocabAssignment, VocabTerm

COIN_WRITABLE = writable_columns(Coin, exclude=("created_at", "updated_at"))
# Field-history change types written by services that keep coin columns in step.
DERIVED_CHANGE_TYPES = frozenset({"grading_sync", "rarity_sync"})
TERM_ID_FIELDS = {f"{name}_term_id": name for name in TERM_FIELDS}  # issuer_term_id -> issuer
CERTIFIED_SERVICES = frozenset({GradeService.NGC, GradeService.PCGS})
_CERT_KEYS = frozenset(
    {"certification_number", "grade_service", "grade_numeric", "verification_url"}
)


async def get_coin(session: AsyncSession, coin_id: int, *, field: str = "coinId") -> Coin:
    """The coin, or NotFound at `field`."""
    coin = await session.get(Coin, coin_id)
    if coin is None:
        raise NotFound(f"no coin with id {coin_id}", field=[field])
    return coin


async def create_coin(session: AsyncSession, values: Mapping[str, Any]) -> Coin:
    """Insert a coin from attribute -> value; a create writes no field history."""
    data = await _prepare(session, values, None)
    coin = Coin(**data)
    session.add(coin)
    await session.flush()
    await _sync_vocab_assignments(session, coin, data.keys() & TERM_ID_FIELDS.keys(), "manual")
    return coin


async def update_coin(
    session: AsyncSession,
    coin_id: int,
    changes: Mapping[str, Any],
    *,
    changed_by: str | None = None,
    reason: str | None = None,
    source: str = "manual",
    change_type: str = "manual",
    batch_id: str | None = None,
) -> Coin:
    """Change the keys present in `changes` (None clears); one history batch per call.

    `source`/`change_type`/`batch_id` let other services (grading sync, LLM review) write
    through the same rules and history.
    """
    coin = await get_coin(session, coin_id)
    data = await _prepare(session, changes, coin)
    await _write(
        session,
        coin,
        data,
        source=source,
        batch_id=batch_id,
        changed_by=changed_by,
        reason=reason,
        change_type=change_type,
    )
    return coin


async def delete_coin(session: AsyncSession, coin_id: int) -> None:
    """Delete a coin and everything that belongs to it."""
    coin = await get_coin(session, coin_id)
    filled = await session.scalars(
        select(SeriesMembership.series_id)
        .where(SeriesMembership.coin_id == coin_id, SeriesMembership.slot_id.is_not(None))
        .distinct()
    )
    series_ids = list(filled.all())
    await delete_with_dependents(session, Coin.__table__, Coin.id == coin_id)
    session.expunge(coin)
    if series_ids:
        # The slot this coin filled is empty now, so its series cannot be complete.
        await session.execute(
            update(Series).where(Series.id.in_(series_ids)).values(is_complete=False)
        )


async def undo_batch(
    session: AsyncSession,
    batch_id: str,
    *,
    coin_id: int | None = None,
    changed_by: str | None = None,
) -> Coin:
    """Restore the values a batch replaced, recorded as a new batch.

    Refused with Conflict when a field of the batch has changed again since: undo the
    later batch first. `coin_id` picks one coin out of a batch that touched several.
    """
    rows = [r for r in await batch_rows(session, batch_id) if coin_id in (None, r.coin_id)]
    if not rows:
        raise NotFound(f"no recorded changes in batch {batch_id}", field=["batchId"])
    if len({r.coin_id for r in rows}) > 1:
        raise DomainError("this batch changed several coins; say which one", field=["coinId"])
    derived = {r.change_type for r in rows} & DERIVED_CHANGE_TYPES
    if derived:
        # These columns follow the coin's grading history or primary rarity; undoing them
        # here would make the coin disagree with that record.
        raise Conflict(
            "this batch was written by the grading or rarity record; change that record "
            "(updateGradingEvent, removeGradingEvent, rarity mutations) instead",
            field=["batchId"],
        )
    coin = await get_coin(session, rows[0].coin_id, field="batchId")
    restore: dict[str, Any] = {}
    latest: dict[str, Any] = {}
    for row in rows:
        restore.setdefault(row.field_name, row.old_value)
        latest[row.field_name] = row.new_value
    for name, value in latest.items():
        if name not in COIN_WRITABLE:
            raise DomainError(f"{name} is not a coin field that can be restored", field=["batchId"])
        if not _matches(getattr(coin, name), value):
            raise Conflict(
                f"{camel(name)} has changed since this batch; undo the later change first",
                field=["batchId"],
            )
    try:
        data = await _prepare(session, restore, coin)
    except DomainError as exc:
        raise type(exc)(f"cannot undo: {exc.message}", field=["batchId"], code=exc.code) from exc
    await _write(
        session,
        coin,
        data,
        source="manual",
        batch_id=None,
        changed_by=changed_by,
        reason=f"undo of batch {batch_id}",
        change_type="undo",
    )
    return coin


async def delete_with_dependents(
    session: AsyncSession, table: FromClause, condition: ColumnElement[bool]
) -> None:
    """Delete rows of `table`, first applying the models' ON DELETE rules to their referrers.

    This does not rely on the database enforcing foreign keys (SQLite only does with
    PRAGMA foreign_keys, and schemas built before the migrations declared them have none),
    and refuses a RESTRICT as a Conflict rather than an IntegrityError.
    """
    await session.flush()
    keys_of: dict[str, list[Any]] = {}  # referenced column -> its values in doomed rows
    for child in metadata.sorted_tables:
        for fk in child.foreign_keys:
            if fk.column.table is not table:
                continue
            if fk.column.name not in keys_of:
                found = await session.scalars(select(fk.column).where(condition))
                keys_of[fk.column.name] = [k for k in found.all() if k is not None]
            keys = keys_of[fk.column.name]
            if not keys:
                continue
            referrers = fk.parent.in_(keys)
            if fk.ondelete == "CASCADE":
                await delete_with_dependents(session, child, referrers)
            elif fk.ondelete == "SET NULL":
                await session.execute(update(child).where(referrers).values({fk.parent.name: None}))
            elif await session.scalar(select(fk.parent).where(referrers).limit(1)) is not None:
                raise Conflict(f"still referenced by {child.name}")
    await _delete(session, table, condition)


async def _delete(session: AsyncSession, table: FromClause, condition: ColumnElement[bool]) -> None:
    assert isinstance(table, Table), table  # mapped classes' __table__ is a Table
    await session.execute(delete(table).where(condition))


async def _write(session: AsyncSession, coin: Coin, data: dict[str, Any], **history: Any) -> None:
    rows = await record_field_changes(session, coin, data, **history)
    changed_terms = {r.field_name for r in rows} & TERM_ID_FIELDS.keys()
    await _sync_vocab_assignments(session, coin, changed_terms, history["source"])


def _matches(current: Any, recorded: Any) -> bool:
    """Whether the coin still holds the value a history row recorded."""
    if isinstance(current, Decimal) and isinstance(recorded, str):
        try:
            return current == Decimal(recorded)
        except InvalidOperation:
            return False
    return bool(json_safe(current) == recorded)


async def _prepare(
    session: AsyncSession, values: Mapping[str, Any], coin: Coin | None
) -> dict[str, Any]:
    """Validated column values for a create (`coin` None) or an update of `coin`.

    Every check runs before anything is written, so a refused write leaves no trace.
    """
    data = normalise_fields(Coin, values, COIN_WRITABLE)
    data = {key: check_coin_field(key, value) for key, value in data.items()}
    if coin is None:
        require_fields(Coin, data, COIN_WRITABLE)
    state = _current_state(coin)
    state.update(data)
    changed = set(data)
    check_coin_consistency(state, changed)
    _check_certificate(data, state, changed, coin)
    await _check_links(session, data, state, coin)
    return data


def _current_state(coin: Coin | None) -> dict[str, Any]:
    if coin is not None:
        return {key: getattr(coin, key) for key in COIN_WRITABLE}
    state: dict[str, Any] = {}
    for key in COIN_WRITABLE:
        default = Coin.__mapper__.columns[key].default
        state[key] = (
            getattr(default, "arg", None) if default is not None and default.is_scalar else None
        )
    return state


def _auto_url(service: Any, cert: str | None, numeric: int | None) -> str | None:
    if service not in CERTIFIED_SERVICES or not cert:
        return None
    try:
        return verification_url(service.value, cert, numeric)
    except CertificateError:
        return None  # a legacy malformed cert number simply gets no link


def _check_certificate(
    data: dict[str, Any], state: dict[str, Any], changed: set[str], coin: Coin | None
) -> None:
    """Validate NGC/PCGS cert numbers and keep an automatic verification URL current."""
    if not changed & _CERT_KEYS:
        return
    service, cert = state["grade_service"], state["certification_number"]
    if (
        cert is not None
        and service in CERTIFIED_SERVICES
        and changed & {"certification_number", "grade_service"}
    ):
        try:
            cert = validate_cert_number(service.value, cert)
        except CertificateError as exc:
            raise DomainError(
                str(exc), field=blame(changed, "certification_number", "grade_service")
            ) from None
        if "certification_number" in data:
            data["certification_number"] = state["certification_number"] = cert
    if "verification_url" in data:
        return  # an explicit URL (or an explicit null) wins
    current = coin.verification_url if coin is not None else None
    before = (
        _auto_url(coin.grade_service, coin.certification_number, coin.grade_numeric)
        if coin is not None
        else None
    )
    # Only a URL we built ourselves (or none) is rebuilt; a hand-entered link stays.
    if current is None or current == before:
        url = _auto_url(service, state["certification_number"], state["grade_numeric"])
        if url != current:
            data["verification_url"] = url


async def _check_links(
    session: AsyncSession, data: dict[str, Any], state: dict[str, Any], coin: Coin | None
) -> None:
    """Referenced rows must exist (the schema has no foreign keys to refuse them)."""
    mint_id = data.get("mint_id")
    if mint_id is not None:
        mint = await session.get(Mint, mint_id)
        if mint is None:
            raise NotFound(f"no mint with id {mint_id}", field=["mintId"])
        if "mint" not in data and (coin is None or coin.mint_id != mint_id):
            data["mint"] = mint.name
    for key, name in TERM_ID_FIELDS.items():
        term_id = data.get(key)
        if term_id is None:
            continue
        term = await session.get(VocabTerm, term_id)
        if term is None:
            raise NotFound(f"no vocabulary term with id {term_id}", field=[camel(key)])
        check_term_fits(term, name, field=[camel(key)])
        # An empty text column takes the term's name; a collector's own wording stays.
        limit = (
            getattr(Coin.__mapper__.columns[name].type, "length", None)
            if name in COIN_WRITABLE
            else None
        )
        if (
            name in COIN_WRITABLE
            and name not in data
            and state.get(name) is None
            and (limit is None or len(term.canonical_name) <= limit)
        ):
            data[name] = term.canonical_name
    for key in ("die_study_obverse_id", "die_study_reverse_id"):
        other = data.get(key)
        if other is None:
            continue
        if coin is not None and other == coin.id:
            raise DomainError("a coin cannot be its own die match", field=[camel(key)])
        if await session.scalar(select(Coin.id).where(Coin.id == other)) is None:
            raise NotFound(f"no coin with id {other}", field=[camel(key)])


def check_term_fits(term: VocabTerm, name: str, *, field: list[str]) -> None:
    """Refuse a term whose vocabulary does not belong in the coin field `name`."""
    allowed = TERM_FIELDS[name]
    if str(term.vocabulary) not in allowed:
        raise DomainError(
            f"{term.canonical_name!r} is a {term.vocabulary} term; {camel(name)} takes "
            f"{' or '.join(sorted(allowed))} terms",
            field=field,
        )


async def _sync_vocab_assignments(
    session: AsyncSession, coin: Coin, term_keys: Collection[str], method: str
) -> None:
    """Keep one coin_vocab_assignments row per assigned `<field>_term_id`."""
    for key in term_keys:
        name = TERM_ID_FIELDS[key]
        row = await session.scalar(
            select(CoinVocabAssignment).where(
                CoinVocabAssignment.coin_id == coin.id, CoinVocabAssignment.field_name == name
            )
        )
        term_id = getattr(coin, key)
        if term_id is None:
            if row is not None:
                await session.delete(row)
            continue
        if row is None:
            row = CoinVocabAssignment(coin_id=coin.id, field_name=name)
            session.add(row)
        text = getattr(coin, name) if name in COIN_WRITABLE else None
        row.term_id = term_id
        row.raw_value = text[:200] if text else None
        row.confidence = Decimal("1.00")  # a person chose this term
        row.method = method[:20]
        row.assigned_at = utcnow()
    await session.flush()
