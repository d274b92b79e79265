"""DataLoader bases: one `SELECT … WHERE key IN (…)` per batch, read as plain rows.

Sibling fields resolve concurrently, so an AsyncSession is never used by two batches at
once: either each batch opens its own session from the factory, or — for an HTTP
request — all batches share one session (`SharedReads`) and take turns on it. Sharing
saves a pool checkout, a ping and a rollback per batch (nineteen per collection page)
and lets every read of one request see the same snapshot on SQLite.

`ModelLoader` returns read-only named tuples (coinstack_graphql.db.rows), not ORM
instances. On PostgreSQL the keys travel as one array parameter (`key = ANY($1)`), so
the statement is compiled once; on SQLite they are an expanding IN list, chunked below
SQLite's bound-parameter limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, TypeVar

from sqlalchemy import Select, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.elements import ColumnElement
from strawberry.dataloader import DataLoader

from coinstack_graphql.db.rows import row_class, row_select_columns

K = TypeVar("K", bound=Hashable)
CHUNK = 500
L = TypeVar("L", bound="BaseLoader[Any]")


def chunked(keys: Sequence[K], size: int = CHUNK) -> Iterable[Sequence[K]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


SessionSource = Callable[[], contextlib.AbstractAsyncContextManager[AsyncSession]]


class SharedReads:
    """One read session for all loader batches of a request, used by one batch at a time.

    Opened on first use, closed by `close()` at the end of the request. A batch that
    fails drops the session (its transaction may be aborted); the next one opens anew.
    A batch that still runs after `close()` (graphql-core answers a failed operation
    without waiting for every DataLoader task) gets a session of its own for the
    duration of the batch, so nothing is left open.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self._closed = False

    @contextlib.asynccontextmanager
    async def __call__(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            if self._closed:
                async with self._sessions() as own:
                    yield own
                return
            if self._session is None:
                self._session = self._sessions()
            try:
                yield self._session
            except BaseException:
                await self._discard()
                raise

    async def _discard(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            # Shielded, as AsyncSession.__aexit__ does: a request cancelled by its
            # timeout must still give the connection back to the pool.
            closing = asyncio.ensure_future(session.close())
            with contextlib.suppress(Exception):
                await asyncio.shield(closing)

    async def close(self) -> None:
        async with self._lock:
            self._closed = True
            await self._discard()


def dialect_of(session: AsyncSession) -> str:
    bind = session.bind
    return bind.dialect.name if bind is not None else "sqlite"


def keys_condition(column: Any, dialect: str) -> ColumnElement[bool]:
    """`column` IN the bound parameter `keys`: one array on PostgreSQL (`= ANY($1)`),
    so the statement compiles once; an expanding list elsewhere."""
    if dialect == "postgresql":
        return column == any_(bindparam("keys", type_=ARRAY(column.type)))  # type: ignore[no-any-return]
    return column.in_(bindparam("keys", expanding=True))  # type: ignore[no-any-return]


async def execute_keyed(session: AsyncSession, stmt: Select[Any], keys: Sequence[Any]) -> list[Any]:
    """The result rows of `stmt` (built with `keys_condition`) for `keys`.

    Through the session's connection: a Core result, without the ORM's result
    processing (the statement names columns only). Chunked below SQLite's bound
    parameter limit; PostgreSQL takes the array whole.
    """
    connection = await session.connection()
    parts = [keys] if connection.dialect.name == "postgresql" else chunked(keys)
    rows: list[Any] = []
    for part in parts:
        rows.extend((await connection.execute(stmt, {"keys": list(part)})).tuples())
    return rows


class BaseLoader(DataLoader[K, Any]):
    """A DataLoader reading through `sessions` (a factory or the request's SharedReads)."""

    def __init__(self, sessions: SessionSource) -> None:
        super().__init__(load_fn=self._load_batch)
        self.sessions = sessions
        self._values: dict[Any, Any] = {}

    async def load_values(self, keys: Iterable[K]) -> dict[Any, Any]:
        """Key → value for every key, loaded in one batch without a future per key.

        The breadth-first executor's way in (see `load`): it already holds all the keys
        of a level, so DataLoader's per-key futures would be pure overhead.
        """
        missing = [k for k in dict.fromkeys(keys) if k not in self._values]
        if missing:
            self._values.update(zip(missing, await self._load_batch(missing), strict=True))
        return self._values

    async def _load_batch(self, keys: list[K]) -> list[Any]:  # pragma: no cover - abstract
        raise NotImplementedError


class ModelLoader(BaseLoader[K]):
    """Loads rows of `model` by `key`; one row per key (`many=False`) or a list per key.

    The rows are read-only named tuples of the model's columns (`row_class(model)`).
    """

    model: ClassVar[type]
    key: ClassVar[Any]
    many: ClassVar[bool] = False
    order_by: ClassVar[Sequence[Any]] = ()
    # Per loader class: the statement for each dialect, built once so that SQLAlchemy's
    # compiled cache recognises it.
    _statements: ClassVar[dict[tuple[type, str], Select[Any]]] = {}

    @classmethod
    def statement(cls, dialect: str) -> Select[Any]:
        """SELECT the model's columns WHERE key is in the bound parameter `keys`."""
        found = ModelLoader._statements.get((cls, dialect))
        if found is None:
            found = select(*row_select_columns(cls.model)).where(keys_condition(cls.key, dialect))
            if cls.order_by:
                found = found.order_by(*cls.order_by)
            ModelLoader._statements[(cls, dialect)] = found
        return found

    async def fetch(self, session: AsyncSession, keys: Sequence[K]) -> list[Any]:
        """The rows whose key is in `keys`, as named tuples."""
        stmt = self.statement(dialect_of(session))
        make = row_class(type(self).model)._make
        return list(map(make, await execute_keyed(session, stmt, keys)))

    async def _load_batch(self, keys: list[K]) -> list[Any]:
        async with self.sessions() as session:
            rows = await self.fetch(session, list(dict.fromkeys(keys)))
        attr = type(self).key.key
        if self.many:
            grouped: dict[Any, list[Any]] = defaultdict(list)
            for row in rows:
                grouped[getattr(row, attr)].append(row)
            return [grouped.get(k, []) for k in keys]
        by_key = {getattr(row, attr): row for row in rows}
        return [by_key.get(k) for k in keys]


class Pending(NamedTuple):
    """A load the breadth-first executor settles for all parents at once (see `load`)."""

    loader: BaseLoader[Any]
    key: Any
    pick: Callable[[Any], Any] | None


def load(info: Any, loader_cls: type[BaseLoader[Any]], key: Any,
         pick: Callable[[Any], Any] | None = None) -> Any:
    """What a relation resolver returns: the value loaded for `key`, shaped by `pick`.

    Under graphql-core's executor this is a DataLoader future (a future of `pick`'s
    result with `pick`). Under the breadth-first executor (fast_execution.py), which
    sets `Loaders.deferring`, it is a `Pending` that the executor gathers with the same
    field's other parents into one `load_values` call.
    """
    loaders = info.context.loaders
    loader = loaders.get(loader_cls)
    if loaders.deferring:
        return Pending(loader, key, pick)
    future = loader.load(key)
    return then(future, pick) if pick is not None else future


@dataclass(frozen=True)
class Relation:
    """A resolver that is nothing but a load: `loader` by the parent's `key` attribute,
    the loaded value shaped by `pick` (e.g. the current entry of a list)."""

    loader: type[BaseLoader[Any]]
    key: str
    pick: Callable[[Any], Any] | None = None


def relation(
    loader: type[BaseLoader[Any]], *, key: str = "id", pick: Callable[[Any], Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a resolver as a relation; the decorated method only gives the signature.

        @strawberry.field
        @relation(MintByIdLoader, key="mint_id")
        def mint(self, root: Parent[Coin], info: Info) -> Mint | None: ...

    Called per parent (graphql-core), it loads through the DataLoader (a parent whose key
    is None has no value). The breadth-first executor reads the declaration instead and
    loads the keys of all parents at once (`load_values`), calling nothing per parent.
    """
    spec = Relation(loader, key, pick)

    def declare(signature: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(signature)  # Strawberry reads the wrapped signature and types
        def resolve(self: Any, root: Any, info: Any) -> Any:
            value = getattr(root, key)
            return None if value is None else load(info, loader, value, pick)

        resolve.relation = spec  # type: ignore[attr-defined]
        return resolve

    return declare


class Loaders:
    """The per-request set of loaders, created on first use.

    With `shared`, every batch reads through one `SharedReads` session, which `close()`
    gives back; without, each batch opens and closes a session of its own.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, shared: bool = False) -> None:
        self._shared = SharedReads(sessions) if shared else None
        self._source: SessionSource = self._shared or sessions
        self._loaders: dict[type, BaseLoader[Any]] = {}
        # Set while the breadth-first executor runs: relation resolvers then return
        # `Pending` loads instead of futures.
        self.deferring = False

    @property
    def reads(self) -> SessionSource:
        """Where this request's reads go: the shared session, or the session factory."""
        return self._source

    def get(self, loader_cls: type[L]) -> L:
        loader = self._loaders.get(loader_cls)
        if loader is None:
            loader = loader_cls(self._source)
            self._loaders[loader_cls] = loader
        return loader  # type: ignore[return-value]

    async def close(self) -> None:
        if self._shared is not None:
            await self._shared.close()


def then(future: Any, transform: Any) -> Any:
    """A future of `transform(result)`: post-processing a load without a coroutine.

    Resolvers return loader futures directly rather than awaiting them in an `async def`,
    which saves a coroutine and a task per field on a page of a hundred coins.
    """
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
