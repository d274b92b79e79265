"""DataLoader bases: one `SELECT … WHERE key IN (…)` per batch, each on its own session.

Strawberry resolves sibling fields concurrently, so a loader never shares an AsyncSession:
each batch opens one from the factory and closes it. Keys are chunked below SQLite's
bound-parameter limit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement
from strawberry.dataloader import DataLoader

K = TypeVar("K", bound=Hashable)
CHUNK = 500
L = TypeVar("L", bound="BaseLoader[Any, Any]")


def chunked(keys: Sequence[K], size: int = CHUNK) -> Iterable[Sequence[K]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


class BaseLoader(DataLoader[K, Any]):
    """A DataLoader bound to the request's session factory."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(load_fn=self._load_batch)
        self.sessions = sessions

    async def _load_batch(self, keys: list[K]) -> list[Any]:  # pragma: no cover - abstract
        raise NotImplementedError


class ModelLoader(BaseLoader[K]):
    """Loads rows of `model` by `key`; one row per key (`many=False`) or a list per key."""

    model: ClassVar[type]
    key: ClassVar[Any]
    many: ClassVar[bool] = False
    order_by: ClassVar[Sequence[Any]] = ()

    def statement(self, keys: Sequence[K]) -> Select[Any]:
        # Read through the class: an instrumented attribute read off an instance would
        # try to load it from that instance.
        cls = type(self)
        key_col: ColumnElement[Any] = cls.key
        stmt = select(cls.model).where(key_col.in_(keys))
        return stmt.order_by(*cls.order_by) if cls.order_by else stmt

    async def _load_batch(self, keys: list[K]) -> list[Any]:
        unique = list(dict.fromkeys(keys))
        rows: list[Any] = []
        async with self.sessions() as session:
            for part in chunked(unique):
                rows.extend((await session.execute(self.statement(part))).scalars().all())
        attr = type(self).key.key
        if self.many:
            grouped: dict[Any, list[Any]] = defaultdict(list)
            for row in rows:
                grouped[getattr(row, attr)].append(row)
            return [grouped.get(k, []) for k in keys]
        by_key = {getattr(row, attr): row for row in rows}
        return [by_key.get(k) for k in keys]


class Loaders:
    """The per-request set of loaders, created on first use."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._loaders: dict[type, BaseLoader[Any]] = {}

    def get(self, loader_cls: type[L]) -> L:
        loader = self._loaders.get(loader_cls)
        if loader is None:
            loader = loader_cls(self._sessions)
            self._loaders[loader_cls] = loader
        return loader  # type: ignore[return-value]


def then(future: Any, transform: Any) -> Any:
    """A future of `transform(result)`: post-processing a load without a coroutine.

    Resolvers return loader futures directly rather than awaiting them in an `async def`,
    which saves a coroutine and a task per field on a page of a hundred coins.
    """
    import asyncio

    out = asyncio.get_running_loop().create_future()

    def done(source: Any) -> None:
        if source.cancelled():
            out.cancel()
        elif source.exception() is not None:
            out.set_exception(source.exception())
        else:
            try:
                out.set_result(transform(source.result()))
            except Exception as exc:  # surfaces as the field's error
                out.set_exception(exc)

    future.add_done_callback(done)
    return out
