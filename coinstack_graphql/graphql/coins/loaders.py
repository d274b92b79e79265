"""DataLoaders for the coin and the rows that hang off it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from coinstack_graphql.auctions import audit_models as audit
from coinstack_graphql.auctions import models as auctions
from coinstack_graphql.coins import children
from coinstack_graphql.coins import models as coins
from coinstack_graphql.graphql.core.loaders import (
    BaseLoader,
    ModelLoader,
    dialect_of,
    execute_keyed,
    keys_condition,
)
from coinstack_graphql.vocab import models as vocab


class CoinByIdLoader(ModelLoader[int]):
    model = coins.Coin
    key = coins.Coin.id


class MintByIdLoader(ModelLoader[int]):
    model = coins.Mint
    key = coins.Mint.id


class VocabTermByIdLoader(ModelLoader[int]):
    model = vocab.VocabTerm
    key = vocab.VocabTerm.id


class CoinImagesByCoinIdLoader(ModelLoader[int]):
    model = children.CoinImage
    key = children.CoinImage.coin_id
    many = True
    order_by = (children.CoinImage.is_primary.desc(), children.CoinImage.id)


class ProvenanceEventsByCoinIdLoader(ModelLoader[int]):
    model = children.ProvenanceEvent
    key = children.ProvenanceEvent.coin_id
    many = True
    order_by = (children.ProvenanceEvent.sort_order, children.ProvenanceEvent.id)


class CountermarksByCoinIdLoader(ModelLoader[int]):
    model = children.Countermark
    key = children.Countermark.coin_id
    many = True
    order_by = (children.Countermark.id,)


class TagsByCoinIdLoader(BaseLoader[int]):
    async def _load_batch(self, keys: list[int]) -> list[Any]:
        grouped: dict[int, list[str]] = {k: [] for k in keys}
        async with self.sessions() as session:
            stmt = (
                select(children.CoinTag.coin_id, children.CoinTag.tag)
                .where(keys_condition(children.CoinTag.coin_id, dialect_of(session)))
                .order_by(children.CoinTag.tag)
            )
            for coin_id, tag in await execute_keyed(session, stmt, list(grouped)):
                grouped[coin_id].append(tag)
        return [grouped[k] for k in keys]


class AuctionDataByCoinIdLoader(ModelLoader[int]):
    model = auctions.AuctionData
    key = auctions.AuctionData.coin_id
    many = True
    order_by = (auctions.AuctionData.auction_date.desc(), auctions.AuctionData.id)


class FieldHistoryByCoinIdLoader(ModelLoader[int]):
    model = audit.FieldHistory
    key = audit.FieldHistory.coin_id
    many = True
    order_by = (audit.FieldHistory.changed_at.desc(), audit.FieldHistory.id.desc())
