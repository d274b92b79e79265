"""Collections: create, edit, nest and delete them, and manage their stored coins.

Custom collections hold coins chosen by hand (`collection_coins`, in display order); smart
ones hold whatever their stored `CoinFilter` JSON matches and cannot hold coins by hand.
Collections nest up to `MAX_DEPTH` levels. Every write refreshes the stored coin count and
total value of the collections it touches (see `stats.py`). Errors name the field inside
the mutation input: `collectionId`, `coinIds`, `parentId`, `slug`, `smartFilter`, ….
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlparse

from sqlalchemy import Table, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.filters import CoinCriteria, coin_conditions, criteria_from_json
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.collections.membership import (
    collection_member_condition,
    load_smart_filters,
)
from coinstack_graphql.collections.models import Collection, CollectionCoin, CollectionType
from coinstack_graphql.collections.stats import refresh_collection_stats, smart_dependents
from coinstack_graphql.errors import Conflict, DomainError, NotFound, OutOfRange, Required

MAX_DEPTH = 5  # a root collection is level 1
MAX_NAME = 200
MAX_SLUG = 80
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EDITABLE_TYPES = (CollectionType.CUSTOM, CollectionType.SMART)
WRITABLE = frozenset(
    {"name", "slug", "description", "collection_type", "smart_filter", "parent_id",
     "cover_image_url", "display_order", "is_favorite"}
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# Greek names are common here ("Ἀθῆναι"); NFKD strips the accents, this spells the letters.
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", "a b g d e z e th i k l m n x o p r s s t y ph "
                  "ch ps o".split(), strict=True))
_CRITERIA_TYPES = {f.name: str(f.type) for f in dataclasses.fields(CoinCriteria)}
_CRITERIA_NAMES = {_camel(name): name for name in _CRITERIA_TYPES}


async def create_collection(
    session: AsyncSession,
    *,
    name: str,
    description: str | None = None,
    collection_type: CollectionType | str = CollectionType.CUSTOM,
    smart_filter: dict[str, Any] | None = None,
    parent_id: int | None = None,
    slug: str | None = None,
    cover_image_url: str | None = None,
    display_order: int | None = None,
    is_favorite: bool = False,
) -> Collection:
    """A new collection; the slug comes from the name unless given."""
    name = _clean_name(name)
    kind = _collection_type(collection_type)
    smart_filter = await _filter_for(session, kind, smart_filter, own_id=None)
    if parent_id is not None:
        _check_parent(await _tree(session), None, parent_id)
    slug = await _slug_for(session, slug, name, own_id=None)
    collection = Collection(
        name=name,
        slug=slug,
        description=description or None,
        collection_type=kind,
        smart_filter=smart_filter,
        parent_id=parent_id,
        cover_image_url=_cover_url(cover_image_url),
        display_order=_display_order(display_order),
        is_favorite=bool(is_favorite),
    )
    session.add(collection)
    await _flush(session)
    await refresh_collection_stats(session, [collection.id])
    return collection


async def update_collection(
    session: AsyncSession, collection_id: int, changes: Mapping[str, Any]
) -> Collection:
    """Apply the present keys of `changes` (column names); None clears where allowed.

    A None slug regenerates it from the name; renaming keeps the slug so links stay valid.
    Turning a smart collection custom drops its filter; the reverse needs it to be empty.
    """
    unknown = set(changes) - WRITABLE
    if unknown:
        raise TypeError(f"not writable: {sorted(unknown)}")
    collection = await get_collection(session, collection_id)
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = _clean_name(changes["name"])
    name = values.get("name", collection.name)
    kind = collection.collection_type
    if "collection_type" in changes:
        kind = _collection_type(changes["collection_type"])
        if kind == CollectionType.SMART and kind != collection.collection_type:
            if await _stored_coin_ids(session, collection.id):
                raise DomainError(
                    "remove the collection's coins before making it smart",
                    field=["collectionType"],
                )
            await _drop_orphans(session, collection.id)
        values["collection_type"] = kind
    if "smart_filter" in changes or kind != collection.collection_type:
        spec = changes.get("smart_filter", collection.smart_filter)
        if kind != CollectionType.SMART and "smart_filter" not in changes:
            spec = None  # leaving smart drops the filter that no longer applies
        values["smart_filter"] = await _filter_for(session, kind, spec, own_id=collection.id)
    if "parent_id" in changes:
        if changes["parent_id"] is not None:
            _check_parent(await _tree(session), collection.id, changes["parent_id"])
        values["parent_id"] = changes["parent_id"]
    if "slug" in changes:
        values["slug"] = await _slug_for(session, changes.get("slug"), name, own_id=collection.id)
    if "description" in changes:
        values["description"] = changes["description"] or None
    if "cover_image_url" in changes:
        values["cover_image_url"] = _cover_url(changes["cover_image_url"])
    if "display_order" in changes:
        values["display_order"] = _display_order(changes["display_order"])
    if "is_favorite" in changes:
        values["is_favorite"] = bool(changes["is_favorite"])
    for key, value in values.items():
        setattr(collection, key, value)
    await _flush(session)
    await _refresh_with_dependents(session, [collection.id])
    return collection


async def delete_collection(session: AsyncSession, collection_id: int) -> None:
    """Delete a collection and its stored memberships (never the coins).

    Its sub-collections move up to its parent (or become roots), so deleting a grouping
    never deletes what was filed under it. A collection still named by a smart filter is
    refused: the filter would silently start matching nothing.
    """
    collection = await get_collection(session, collection_id)
    filters = await load_smart_filters(session)
    users = sorted(
        cid for cid, spec in filters.items()
        if cid != collection_id and collection_id in _named(spec)
    )
    if users:
        raise Conflict(
            f"smart collections {users} filter on this collection; edit them first",
            field=["collectionId"],
        )
    # Explicit: the migrated schema has no foreign keys to cascade or set null for us.
    await session.execute(
        update(Collection)
        .where(Collection.parent_id == collection_id)
        .values(parent_id=collection.parent_id)
        .execution_options(synchronize_session="fetch")
    )
    await session.execute(
        delete(CollectionCoin).where(CollectionCoin.collection_id == collection_id)
    )
    await session.delete(collection)
    await session.flush()


async def add_coins_to_collection(
    session: AsyncSession, collection_id: int, coin_ids: Sequence[int]
) -> Collection:
    """Append coins to a custom collection; coins already in it keep their place."""
    collection = await _stored_collection(session, collection_id)
    wanted = list(dict.fromkeys(coin_ids))
    found = set((await session.scalars(select(Coin.id).where(Coin.id.in_(wanted)))).all())
    for index, coin_id in enumerate(coin_ids):
        if coin_id not in found:
            raise NotFound(f"no coin with id {coin_id}", field=["coinIds", str(index)])
    present = set(await _stored_coin_ids(session, collection_id))
    new = [coin_id for coin_id in wanted if coin_id not in present]
    if new:
        last = await session.scalar(
            select(func.max(CollectionCoin.position)).where(
                CollectionCoin.collection_id == collection_id
            )
        )
        start = -1 if last is None else last
        session.add_all(
            CollectionCoin(collection_id=collection_id, coin_id=coin_id, position=start + 1 + i)
            for i, coin_id in enumerate(new)
        )
        await session.flush()
        await _refresh_with_dependents(session, [collection_id])
    return collection


async def remove_coins_from_collection(
    session: AsyncSession, collection_id: int, coin_ids: Sequence[int]
) -> Collection:
    """Take coins out of a custom collection; coins not in it are ignored."""
    collection = await _stored_collection(session, collection_id)
    if coin_ids:
        await session.execute(
            delete(CollectionCoin).where(
                CollectionCoin.collection_id == collection_id,
                CollectionCoin.coin_id.in_(list(coin_ids)),
            )
        )
        await _refresh_with_dependents(session, [collection_id])
    return collection


async def reorder_collection(
    session: AsyncSession, collection_id: int, coin_ids: Sequence[int]
) -> Collection:
    """Put a custom collection's coins in this order; it must list exactly its coins."""
    collection = await _stored_collection(session, collection_id)
    current = await _stored_coin_ids(session, collection_id)
    if len(set(coin_ids)) != len(coin_ids):
        raise DomainError("a coin is listed more than once", field=["coinIds"])
    missing, extra = set(current) - set(coin_ids), set(coin_ids) - set(current)
    if missing or extra:
        raise DomainError(
            "list exactly the collection's coins"
            + (f"; missing {sorted(missing)}" if missing else "")
            + (f"; not in the collection {sorted(extra)}" if extra else ""),
            field=["coinIds"],
        )
    if coin_ids:
        table = cast(Table, CollectionCoin.__table__)
        await session.execute(
            update(table)
            .where(table.c.collection_id == collection_id, table.c.coin_id == bindparam("b_coin"))
            .values(position=bindparam("b_pos")),
            [{"b_coin": coin_id, "b_pos": pos} for pos, coin_id in enumerate(coin_ids)],
        )
    # Order changes neither count nor value, so the stats need no refresh.
    return collection


async def collection_coin_ids(session: AsyncSession, collection_id: int) -> list[int]:
    """Member coin ids in display order (smart collections: by coin id)."""
    collection = await get_collection(session, collection_id)
    if collection.collection_type == CollectionType.SMART:
        filters = await load_smart_filters(session)
        condition = collection_member_condition([collection_id], filters)
        rows = await session.scalars(select(Coin.id).where(condition).order_by(Coin.id))
        return list(rows.all())
    return await _stored_coin_ids(session, collection_id)


async def get_collection(
    session: AsyncSession, collection_id: int, field: Sequence[str] = ("collectionId",)
) -> Collection:
    """The collection, or NotFound on `field`."""
    collection = await session.get(Collection, collection_id)
    if collection is None:
        raise NotFound(f"no collection with id {collection_id}", field=field)
    return collection


def slugify(name: str) -> str:
    """Lowercase ASCII words joined by hyphens ("Twelve Caesars!" -> "twelve-caesars")."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(_GREEK.get(ch, ch) for ch in text if not unicodedata.combining(ch))
    words = re.findall(r"[a-z0-9]+", text.encode("ascii", "ignore").decode())
    slug = ""
    for word in words:  # cut at a word boundary so a slug never ends mid-word
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG - 4:  # room for a "-NNN" suffix
            break
        slug = candidate
    return slug or "collection"


async def _stored_collection(session: AsyncSession, collection_id: int) -> Collection:
    collection = await get_collection(session, collection_id)
    if collection.collection_type == CollectionType.SMART:
        raise DomainError(
            "a smart collection's coins come from its filter; they cannot be changed by hand",
            field=["collectionId"],
        )
    return collection


async def _stored_coin_ids(session: AsyncSession, collection_id: int) -> list[int]:
    # Joined to coins: membership rows of deleted coins are not cascaded (no FK) and hidden.
    rows = await session.scalars(
        select(CollectionCoin.coin_id)
        .join(Coin, Coin.id == CollectionCoin.coin_id)
        .where(CollectionCoin.collection_id == collection_id)
        .order_by(
            CollectionCoin.position.is_(None), CollectionCoin.position,
            CollectionCoin.added_at, CollectionCoin.coin_id,
        )
    )
    return list(rows.all())


async def _drop_orphans(session: AsyncSession, collection_id: int) -> None:
    """Delete membership rows left by deleted coins (there is no FK to cascade them).

    SQLite may hand a deleted coin's id to a new coin, which would then inherit them.
    """
    await session.execute(
        delete(CollectionCoin).where(
            CollectionCoin.collection_id == collection_id,
            ~exists().where(Coin.id == CollectionCoin.coin_id),
        )
    )


async def _refresh_with_dependents(session: AsyncSession, collection_ids: list[int]) -> None:
    """Refresh these collections and every smart one filtering on them."""
    dependents = smart_dependents(await load_smart_filters(session), collection_ids)
    await refresh_collection_stats(session, sorted(set(collection_ids) | dependents))


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent writer took the slug after our check
        raise Conflict("another collection already uses this slug", field=["slug"]) from exc


def _clean_name(name: str | None) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise Required("a collection needs a name", field=["name"])
    if len(cleaned) > MAX_NAME:
        raise OutOfRange(f"a name has at most {MAX_NAME} characters", field=["name"])
    return cleaned


def _collection_type(value: CollectionType | str | None) -> CollectionType:
    if value is None:
        raise Required("a collection type is required", field=["collectionType"])
    try:
        kind = CollectionType(value)
    except ValueError:
        raise DomainError(f"unknown collection type {value!r}", field=["collectionType"]) from None
    if kind not in EDITABLE_TYPES:
        raise DomainError(
            f"{kind.value} collections are maintained by the server", field=["collectionType"]
        )
    return kind


def _cover_url(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlparse(url)
    # Clients render this as an <img src>: only web URLs, never javascript: or data:.
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DomainError("the cover image must be an http(s) URL", field=["coverImageUrl"])
    return url


def _display_order(value: int | None) -> int | None:
    if value is not None and value < 0:
        raise OutOfRange("the display order cannot be negative", field=["displayOrder"])
    return value


async def _slug_for(
    session: AsyncSession, slug: str | None, name: str, *, own_id: int | None
) -> str:
    others = select(Collection.slug)
    if own_id is not None:
        others = others.where(Collection.id != own_id)
    if slug is not None:
        if len(slug) > MAX_SLUG or not SLUG_RE.match(slug):
            raise DomainError(
                "a slug is lowercase letters and digits in words joined by single hyphens,"
                f" at most {MAX_SLUG} characters, e.g. 'twelve-caesars'",
                field=["slug"],
            )
        if await session.scalar(others.where(Collection.slug == slug)) is not None:
            raise Conflict(f"another collection already uses the slug '{slug}'", field=["slug"])
        return slug
    base = slugify(name)
    taken = set(
        (await session.scalars(
            others.where(or_(Collection.slug == base, Collection.slug.like(f"{base}-%")))
        )).all()
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


async def _tree(session: AsyncSession) -> dict[int, int | None]:
    # Collections number in the hundreds at most: one read beats a recursive CTE per engine.
    rows = await session.execute(select(Collection.id, Collection.parent_id))
    return dict(rows.tuples().all())


def _check_parent(tree: dict[int, int | None], own_id: int | None, parent_id: int) -> None:
    """The parent exists, is not the collection or below it, and the depth stays bounded."""
    if parent_id not in tree:
        raise NotFound(f"no collection with id {parent_id}", field=["parentId"])
    level, node, seen = 0, cast(int | None, parent_id), set()
    while node is not None and node not in seen:  # `seen` guards against corrupt data
        if node == own_id:
            raise DomainError(
                "a collection cannot be placed inside itself or its own sub-collections",
                field=["parentId"],
            )
        seen.add(node)
        level += 1
        node = tree.get(node)
    if level + 1 + _height(tree, own_id) > MAX_DEPTH:
        raise OutOfRange(f"collections nest at most {MAX_DEPTH} levels deep", field=["parentId"])


def _height(tree: dict[int, int | None], root: int | None) -> int:
    """Levels below `root` (0 for a leaf or a collection not yet created)."""
    if root is None:
        return 0
    height, level, frontier = 0, 0, {root}
    while frontier and level <= MAX_DEPTH:
        frontier = {cid for cid, parent in tree.items() if parent in frontier}
        level += 1
        if frontier:
            height = level
    return height


async def _filter_for(
    session: AsyncSession, kind: CollectionType, spec: Any, *, own_id: int | None
) -> dict[str, Any] | None:
    """The canonical filter JSON a collection of `kind` stores, after checking it."""
    if kind != CollectionType.SMART:
        if spec is not None:
            raise DomainError("only smart collections have a filter", field=["smartFilter"])
        return None
    if spec is None:
        raise Required("a smart collection needs a filter", field=["smartFilter"])
    if not isinstance(spec, dict):
        raise DomainError("the filter must be a JSON object", field=["smartFilter"])
    for key, value in spec.items():
        _check_criterion(key, value)
    # An explicit null means "no condition"; the parser expects the key left out.
    criteria = criteria_from_json({k: v for k, v in spec.items() if v is not None})
    try:
        coin_conditions(criteria)  # raises on bad flags and unreadable citations
    except DomainError as exc:
        if exc.field and exc.field[0] == "filter":
            exc.field = ["smartFilter", *exc.field[1:]]
        raise
    for low, high in (("year_from", "year_to"), ("acquisition_price_min", "acquisition_price_max")):
        lo, hi = getattr(criteria, low), getattr(criteria, high)
        if lo is not None and hi is not None and lo > hi:
            raise DomainError(
                f"'{_camel(low)}' is greater than '{_camel(high)}'",
                field=["smartFilter", _camel(high)],
            )
    await _check_named_collections(session, criteria.collection_ids, own_id)
    return criteria.to_json()


def _check_criterion(key: str, value: Any) -> None:
    """Refuse a value of the wrong JSON shape before the parser chokes on it."""
    name = _CRITERIA_NAMES.get(key)
    if name is None:
        raise DomainError(f"unknown filter field '{key}'", field=["smartFilter", key])
    if value is None:
        return
    hint = _CRITERIA_TYPES[name]
    is_list = hint.startswith("list[")
    items = value if is_list and isinstance(value, list) else [value]
    ok = isinstance(value, list) == is_list and all(_fits(hint, item) for item in items)
    if ok:
        try:
            criteria_from_json({key: value})
        except ValueError:  # e.g. a metal or category that does not exist
            ok = False
    if not ok:
        raise DomainError(f"invalid value for filter field '{key}'", field=["smartFilter", key])


def _fits(hint: str, item: Any) -> bool:
    if isinstance(item, bool):
        return "bool" in hint
    if "int" in hint:
        return isinstance(item, int)
    if "Decimal" in hint:
        try:  # NaN and Infinity parse but compare with nothing
            return isinstance(item, int | float | str) and Decimal(str(item)).is_finite()
        except ArithmeticError:
            return False
    return isinstance(item, str) and "bool" not in hint


async def _check_named_collections(
    session: AsyncSession, named: list[int], own_id: int | None
) -> None:
    """Collections a filter names must exist and must not lead back to this one."""
    if not named:
        return
    tree = await _tree(session)
    for index, cid in enumerate(named):
        if cid not in tree:
            raise NotFound(
                f"no collection with id {cid}", field=["smartFilter", "collectionIds", str(index)]
            )
    if own_id is not None:
        reachable = set(named) | _named_closure(await load_smart_filters(session), named)
        if own_id in reachable:
            raise DomainError(
                "a smart collection cannot filter on itself, even through another one",
                field=["smartFilter", "collectionIds"],
            )


def _named_closure(filters: dict[int, dict[str, Any]], start: list[int]) -> set[int]:
    """Collections reachable from `start` by following smart filters' collectionIds."""
    reached: set[int] = set()
    frontier = list(start)
    while frontier:
        for cid in _named(filters.get(frontier.pop())):
            if cid not in reached:
                reached.add(cid)
                frontier.append(cid)
    return reached


def _named(spec: Any) -> list[int]:
    """The collection ids a stored filter names (legacy rows may hold anything)."""
    named = spec.get("collectionIds") if isinstance(spec, dict) else None
    return named if isinstance(named, list) else []
