"""Field history: one `field_history` row per changed coin field, one batch id per write.

Every service that changes a coin's columns (manual edits, vocabulary assignment, LLM
review approval, grading sync) goes through `record_field_changes`, so the audit trail and
`undo_batch` (in coins/service.py) see every change the same way.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auctions.audit_models import FieldHistory
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.base import utcnow


def json_safe(value: Any) -> Any:
    """A JSON value for `value`: Decimal -> string (exact), date -> ISO, enum -> its value."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return str(value)


def same_value(old: Any, new: Any) -> bool:
    """True when storing `new` would not change `old` (3.35 == 3.350; enum == its value)."""
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old == new
    return bool(json_safe(old) == json_safe(new))


def new_batch_id() -> str:
    return str(uuid.uuid4())


async def record_field_changes(
    session: AsyncSession,
    coin: Coin,
    changes: Mapping[str, Any],
    *,
    source: str = "manual",
    batch_id: str | None = None,
    changed_by: str | None = None,
    reason: str | None = None,
    change_type: str = "manual",
    source_id: str | None = None,
) -> list[FieldHistory]:
    """Apply already validated `changes` (attribute -> value) to `coin` and log them.

    Only fields whose value really changes are set and get a row; all rows share one
    batch id (`batch_id` or a new uuid4). `old_source` is the source of the field's
    previous recorded change, so a chain of sources can be followed.
    """
    effective = {k: v for k, v in changes.items() if not same_value(getattr(coin, k), v)}
    if not effective:
        return []
    batch = batch_id or new_batch_id()
    previous = await session.execute(
        select(FieldHistory.field_name, FieldHistory.new_source, FieldHistory.new_source_id)
        .where(FieldHistory.coin_id == coin.id, FieldHistory.field_name.in_(effective))
        .order_by(FieldHistory.id)
    )
    last_source = {name: (src, src_id) for name, src, src_id in previous.all()}
    now = utcnow()
    rows: list[FieldHistory] = []
    for key, value in effective.items():
        old_source, old_source_id = last_source.get(key, (None, None))
        rows.append(
            FieldHistory(
                coin_id=coin.id,
                field_name=key,
                old_value=json_safe(getattr(coin, key)),
                new_value=json_safe(value),
                old_source=old_source,
                new_source=source,
                old_source_id=old_source_id,
                new_source_id=source_id,
                change_type=change_type,
                changed_at=now,
                changed_by=changed_by,
                batch_id=batch,
                reason=reason,
            )
        )
        setattr(coin, key, value)
    session.add_all(rows)
    await session.flush()
    return rows


async def batch_rows(session: AsyncSession, batch_id: str) -> list[FieldHistory]:
    """The rows of one batch in the order they were written."""
    result = await session.scalars(
        select(FieldHistory).where(FieldHistory.batch_id == batch_id).order_by(FieldHistory.id)
    )
    return list(result.all())


async def coin_history(
    session: AsyncSession, coin_id: int, *, field_name: str | None = None
) -> list[FieldHistory]:
    """A coin's recorded changes, oldest first, optionally of one field."""
    query = select(FieldHistory).where(FieldHistory.coin_id == coin_id)
    if field_name is not None:
        query = query.where(FieldHistory.field_name == field_name)
    result = await session.scalars(query.order_by(FieldHistory.id))
    return list(result.all())
