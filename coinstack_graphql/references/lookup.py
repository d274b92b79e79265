"""Finding coins by a citation string, through the concordance of equivalent types."""

from __future__ import annotations

from sqlalchemy import exists, false, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from coinstack_graphql.coins.models import Coin
from coinstack_graphql.errors import DomainError
from coinstack_graphql.references.citations import CitationError, parse_citation
from coinstack_graphql.references.models import CoinReference, ReferenceConcordance, ReferenceType


def equivalent_type_ids(citation: str, field: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A SELECT of the ids of the type cited and of every type in its concordance group."""
    try:
        parsed = parse_citation(citation)
    except CitationError as exc:
        raise DomainError(str(exc), field=field or ["filter", "reference"]) from None
    cited = select(ReferenceType.id).where(
        ReferenceType.system == parsed.system,
        ReferenceType.local_ref_normalized == parsed.normalized,
    )
    own = aliased(ReferenceConcordance)
    other = aliased(ReferenceConcordance)
    grouped = (
        select(other.reference_type_id)
        .join(own, own.concordance_group_id == other.concordance_group_id)
        .where(own.reference_type_id.in_(cited))
    )
    return cited.union(grouped)


def reference_condition(citation: str) -> ColumnElement[bool]:
    """Coins citing `citation` or any type concordant with it."""
    if not citation.strip():
        return false()
    ids = equivalent_type_ids(citation).subquery()
    return exists(
        select(CoinReference.id).where(
            CoinReference.coin_id == Coin.id,
            CoinReference.reference_type_id.in_(select(ids.c.id)),
        )
    )
