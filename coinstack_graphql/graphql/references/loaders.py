"""DataLoaders for citations, reference types, concordance and external links."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from coinstack_graphql.db.rows import row_class, row_select_columns
from coinstack_graphql.graphql.core.loaders import (
    BaseLoader,
    ModelLoader,
    dialect_of,
    execute_keyed,
    keys_condition,
)
from coinstack_graphql.references import models as r


class CoinReferencesByCoinIdLoader(ModelLoader[int]):
    model = r.CoinReference
    key = r.CoinReference.coin_id
    many = True
    order_by = (r.CoinReference.is_primary.desc(), r.CoinReference.id)


class ReferenceTypeByIdLoader(ModelLoader[int]):
    model = r.ReferenceType
    key = r.ReferenceType.id


class ExternalLinksByReferenceTypeIdLoader(ModelLoader[int]):
    model = r.ExternalCatalogLink
    key = r.ExternalCatalogLink.reference_type_id
    many = True
    order_by = (r.ExternalCatalogLink.catalog_source,)


class ConcordanceByReferenceTypeIdLoader(BaseLoader[int]):
    """Every type equivalent to each key (the key itself excluded), in one join."""

    async def _load_batch(self, keys: list[int]) -> list[Any]:
        own = aliased(r.ReferenceConcordance)
        other = aliased(r.ReferenceConcordance)
        grouped: dict[int, list[Any]] = defaultdict(list)
        make = row_class(r.ReferenceType)._make
        async with self.sessions() as session:
            stmt = (
                select(own.reference_type_id, *row_select_columns(r.ReferenceType))
                .join(other, other.concordance_group_id == own.concordance_group_id)
                .join(r.ReferenceType, r.ReferenceType.id == other.reference_type_id)
                .where(
                    keys_condition(own.reference_type_id, dialect_of(session)),
                    other.reference_type_id != own.reference_type_id,
                )
                .order_by(r.ReferenceType.system, r.ReferenceType.local_ref_normalized)
            )
            for row in await execute_keyed(session, stmt, list(dict.fromkeys(keys))):
                grouped[row[0]].append(make(row[1:]))
        return [grouped.get(k, []) for k in keys]


class ConcordanceGroupByReferenceTypeIdLoader(ModelLoader[int]):
    model = r.ReferenceConcordance
    key = r.ReferenceConcordance.reference_type_id
