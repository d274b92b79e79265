"""Root queries: `referenceType`, `referenceTypes`, `concordance`."""

from __future__ import annotations

import strawberry
from sqlalchemy import or_, select

from coinstack_graphql.errors import DomainError
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.errors import bad_request
from coinstack_graphql.graphql.core.model_fields import graphql_enum
from coinstack_graphql.graphql.core.pagination import Connection, SortKey, paginate
from coinstack_graphql.graphql.core.relay import decode_id
from coinstack_graphql.graphql.core.search import contains
from coinstack_graphql.graphql.references.loaders import ReferenceTypeByIdLoader
from coinstack_graphql.graphql.references.types import ReferenceType
from coinstack_graphql.references import models as r
from coinstack_graphql.references.lookup import equivalent_type_ids

ReferenceSystemEnum = graphql_enum(r.ReferenceSystem)


@strawberry.type
class ReferenceQuery:
    @strawberry.field
    async def reference_type(self, info: Info, id: strawberry.ID) -> ReferenceType | None:
        return await info.context.loaders.get(ReferenceTypeByIdLoader).load(
            decode_id(id, "ReferenceType")
        )

    @strawberry.field(description="Catalogue types, by system and number.")
    async def reference_types(
        self,
        info: Info,
        search: str | None = None,
        system: ReferenceSystemEnum | None = None,  # type: ignore[valid-type]
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[ReferenceType]:
        stmt = select(r.ReferenceType)
        if system is not None:
            stmt = stmt.where(r.ReferenceType.system == system)
        if search:
            stmt = stmt.where(
                or_(contains(r.ReferenceType.local_ref, search),
                    contains(r.ReferenceType.local_ref_normalized, search))
            )
        keys = [
            SortKey(r.ReferenceType.system),
            SortKey(r.ReferenceType.number_numeric, nullable=True),
            SortKey(r.ReferenceType.id),
        ]
        return await paginate(info.context.loaders.reads, stmt, keys, first, after, last, before)

    @strawberry.field(description='All equivalents of a citation (e.g. "RIC I² 207"), itself included.')
    async def concordance(self, info: Info, reference: str) -> list[ReferenceType]:
        try:
            ids = equivalent_type_ids(reference, field=["reference"]).subquery()
        except DomainError as exc:
            raise bad_request(exc.message) from None
        stmt = (
            select(r.ReferenceType)
            .where(r.ReferenceType.id.in_(select(ids.c.id)))
            .order_by(r.ReferenceType.system, r.ReferenceType.local_ref_normalized)
        )
        async with info.context.sessions() as session:
            return list((await session.execute(stmt)).scalars())
