"""Enriching one coin with one capability: snapshot, cache, budget, call, store.

The API call never runs inside a database transaction: the snapshot is read in one short
transaction, the model is asked with no connection held, and the answer is written in a
second short transaction; usage counters get their own small transactions. That is why
`enrich_coin` takes a session factory rather than the caller's session.

A Message Batches runner reuses the pieces: `prepare_enrichment` and `find_cached` per coin,
`PreparedEnrichment.params` as each batch line's params, then `client.read_reply`,
`store_enrichment` and `usage.record_usage` per result.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from anthropic import AsyncAnthropic
from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from coinstack_graphql.coins.children import CoinImage
from coinstack_graphql.coins.history import json_safe
from coinstack_graphql.coins.models import Coin
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.enrichment.capabilities import (
    CapabilitySpec,
    Flag,
    get_capability,
)
from coinstack_graphql.enrichment.client import (
    LLMCallFailed,
    Reading,
    build_client,
    create_message,
    read_reply,
)
from coinstack_graphql.enrichment.models import (
    Capability,
    LLMEnrichment,
    PromptTemplate,
    ReviewStatus,
)
from coinstack_graphql.enrichment.prompts import (
    ImagePart,
    build_message_params,
    capability_templates,
    choose_template,
    template_digest,
)
from coinstack_graphql.enrichment.usage import UsageDelta, check_budget, record_usage
from coinstack_graphql.errors import DomainError, NotFound
from coinstack_graphql.references.models import CoinReference, ReferenceType
from coinstack_graphql.settings import Settings

Sessions = async_sessionmaker[AsyncSession]
MAX_IMAGES = 4
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # the Messages API's limit per image
# The API takes these four; the type is sniffed from the bytes, not trusted from the row.
IMAGE_MAGIC = {
    "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/gif": lambda b: b.startswith((b"GIF87a", b"GIF89a")),
    "image/webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
}
IMAGE_ORDER = ("obverse", "reverse", "combined", "detail", "edge", "slab", "other")


@dataclass(frozen=True)
class PreparedEnrichment:
    """Everything needed to ask the model about one coin, read from the database."""

    coin_id: int
    spec: CapabilitySpec
    template: PromptTemplate
    snapshot: dict[str, Any]
    images: tuple[ImagePart, ...]
    input_hash: str

    def params(self, model: str) -> dict[str, Any]:
        """The Messages API request (also a batch line's `params`)."""
        return build_message_params(
            self.spec, self.template, self.snapshot, self.images, model=model
        )


@dataclass(frozen=True)
class EnrichResult:
    enrichment: LLMEnrichment
    cached: bool = False
    flags: list[Flag] = field(default_factory=list)


async def enrich_coin(
    sessions: Sessions,
    coin_id: int,
    capability: Capability | str,
    *,
    settings: Settings,
    client: AsyncAnthropic | None = None,
    now: datetime | None = None,
    batch_job_id: str | None = None,
) -> EnrichResult:
    """Enrich one coin: a cached answer for the same input and prompt, else a new call."""
    now = now or utcnow()
    prepared = await prepare_enrichment(sessions, coin_id, capability)
    async with sessions() as session, session.begin():
        cached = await find_cached(session, prepared)
        if cached is None:
            await check_budget(session, settings, now.date())
    if cached is not None:
        async with sessions() as session, session.begin():
            await record_usage(
                session,
                now.date(),
                prepared.spec.capability,
                cached.model_id,
                UsageDelta(cache_hits=1),
            )
        return EnrichResult(enrichment=cached, cached=True, flags=list(cached.quality_flags or []))
    own_client = client is None
    api = client or build_client(settings)
    try:
        reply = await create_message(api, prepared.params(settings.llm_model), settings=settings)
    except LLMCallFailed:
        async with sessions() as session, session.begin():
            await record_usage(
                session,
                now.date(),
                prepared.spec.capability,
                settings.llm_model,
                UsageDelta(errors=1),
            )
        raise
    finally:
        if own_client:
            await api.close()
    reading = read_reply(prepared.spec, prepared.template, reply.message, settings=settings)
    try:
        async with sessions() as session, session.begin():
            stored = await store_enrichment(
                session, prepared, reading, settings=settings, now=now, batch_job_id=batch_job_id
            )
    finally:
        # The call is paid for whether or not its answer could be stored.
        async with sessions() as session, session.begin():
            await record_usage(
                session,
                now.date(),
                prepared.spec.capability,
                settings.llm_model,
                reading.usage(reply.latency_ms),
            )
    return EnrichResult(enrichment=stored, flags=reading.flags)


@dataclass(frozen=True)
class Draft:
    """A prepared enrichment whose image files are not read yet (read outside any transaction)."""

    coin_id: int
    spec: CapabilitySpec
    template: PromptTemplate
    snapshot: dict[str, Any]
    image_files: tuple[tuple[str, str], ...] = ()  # (image_type, file_path)


async def prepare_enrichment(
    sessions: Sessions, coin_id: int, capability: Capability | str
) -> PreparedEnrichment:
    """Read what the capability needs in one short transaction, then the image files."""
    async with sessions() as session, session.begin():
        draft = await draft_enrichment(session, coin_id, capability)
    return await seal(draft)


async def draft_enrichment(
    session: AsyncSession, coin_id: int, capability: Capability | str
) -> Draft:
    """Snapshot, chosen template and image paths for one coin and capability."""
    spec = get_capability(capability)
    coin = await session.get(Coin, coin_id)
    if coin is None:
        raise NotFound(f"no coin with id {coin_id}", field=["coinId"])
    snapshot: dict[str, Any] = {
        name: json_safe(getattr(coin, name)) for name in spec.snapshot_fields
    }
    if spec.needs_any_of and not any(snapshot.get(name) for name in spec.needs_any_of):
        wanted = " or ".join(name.replace("_", " ") for name in spec.needs_any_of)
        raise DomainError(
            f"coin {coin_id} has no {wanted} for {spec.capability} to work from", field=["coinId"]
        )
    if spec.with_references:
        snapshot["references"] = await _citations(session, coin_id)
    files: tuple[tuple[str, str], ...] = ()
    if spec.requires_vision:
        files = tuple((str(r.image_type), r.file_path) for r in await _image_rows(session, coin_id))
    template = choose_template(await capability_templates(session, spec), coin_id)
    return Draft(coin_id, spec, template, snapshot, files)


async def seal(draft: Draft) -> PreparedEnrichment:
    """Read the image files and seal the snapshot with its input hash."""
    snapshot = dict(draft.snapshot)
    images: list[ImagePart] = []
    if draft.spec.requires_vision:
        for image_type, file_path in draft.image_files:
            image = await _read_image(image_type, file_path)
            if image is not None and len(images) < MAX_IMAGES:
                images.append(image)
        if not images:
            raise DomainError(
                f"coin {draft.coin_id} has no readable image (JPEG, PNG, GIF or WebP file up "
                f"to 5 MB on the server) for {draft.spec.capability}",
                field=["coinId"],
            )
        snapshot["images"] = [
            {"image_type": i.image_type, "media_type": i.media_type, "sha256": i.sha256}
            for i in images
        ]
    return PreparedEnrichment(
        draft.coin_id,
        draft.spec,
        draft.template,
        snapshot,
        tuple(images),
        input_hash(snapshot, draft.template),
    )


def input_hash(snapshot: dict[str, Any], template: PromptTemplate) -> str:
    """sha256 of the snapshot JSON, the template's id/version and a digest of its text."""
    body = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    tail = f"|template={template.id}|version={template.version}|{template_digest(template)}"
    return hashlib.sha256((body + tail).encode()).hexdigest()


async def find_cached(session: AsyncSession, prepared: PreparedEnrichment) -> LLMEnrichment | None:
    """The latest non-rejected answer to this exact input, made current again if needed."""
    cached = await session.scalar(
        select(LLMEnrichment)
        .where(
            LLMEnrichment.coin_id == prepared.coin_id,
            LLMEnrichment.capability == prepared.spec.capability,
            LLMEnrichment.input_hash == prepared.input_hash,
            LLMEnrichment.review_status != ReviewStatus.REJECTED,
        )
        .order_by(LLMEnrichment.id.desc())
        .limit(1)
    )
    if cached is not None and cached.superseded_by is not None:
        # The coin is back to an earlier state: that state's answer is current again.
        await _supersede_others(session, cached)
        cached.superseded_by = None
        await session.flush()
    return cached


async def store_enrichment(
    session: AsyncSession,
    prepared: PreparedEnrichment,
    reading: Reading,
    *,
    settings: Settings,
    now: datetime | None = None,
    batch_job_id: str | None = None,
) -> LLMEnrichment:
    """Insert the answer as the coin's current one for the capability (pending review)."""
    if await session.scalar(select(Coin.id).where(Coin.id == prepared.coin_id)) is None:
        raise NotFound(f"coin {prepared.coin_id} was deleted meanwhile", field=["coinId"])
    twin = await session.scalar(
        select(LLMEnrichment).where(
            LLMEnrichment.coin_id == prepared.coin_id,
            LLMEnrichment.capability == prepared.spec.capability,
            LLMEnrichment.input_hash == prepared.input_hash,
            LLMEnrichment.review_status == ReviewStatus.PENDING,
        )
    )
    if twin is not None:
        return twin  # a concurrent call for the same input stored first; keep one answer
    enrichment = LLMEnrichment(
        coin_id=prepared.coin_id,
        capability=prepared.spec.capability,
        capability_version=prepared.template.version,
        model_id=settings.llm_model,
        model_version=reading.model_version,
        input_hash=prepared.input_hash,
        input_snapshot=prepared.snapshot,
        output_content=reading.output_content,
        raw_response=reading.raw_response,
        confidence=reading.confidence,
        needs_review=bool(reading.flags),
        quality_flags=reading.flags,
        cost_usd=reading.cost_usd,
        input_tokens=reading.input_tokens,
        output_tokens=reading.output_tokens,
        cached=reading.prompt_cached,
        review_status=ReviewStatus.PENDING,
        created_at=now or utcnow(),
        request_id=reading.request_id,
        batch_job_id=batch_job_id,
        prompt_template_id=prepared.template.id,
    )
    session.add(enrichment)
    await session.flush()
    await _supersede_others(session, enrichment)
    return enrichment


async def _supersede_others(session: AsyncSession, current: LLMEnrichment) -> None:
    await session.execute(
        update(LLMEnrichment)
        .where(
            LLMEnrichment.coin_id == current.coin_id,
            LLMEnrichment.capability == current.capability,
            LLMEnrichment.superseded_by.is_(None),
            LLMEnrichment.id != current.id,
        )
        .values(superseded_by=current.id)
        .execution_options(synchronize_session=False)
    )


async def _citations(session: AsyncSession, coin_id: int) -> list[str]:
    result = await session.scalars(
        select(ReferenceType.local_ref)
        .join(CoinReference, CoinReference.reference_type_id == ReferenceType.id)
        .where(CoinReference.coin_id == coin_id)
    )
    return sorted(set(result.all()))


async def _image_rows(session: AsyncSession, coin_id: int) -> list[CoinImage]:
    rank = case(
        *((CoinImage.image_type == kind, index) for index, kind in enumerate(IMAGE_ORDER)),
        else_=len(IMAGE_ORDER),
    )
    result = await session.scalars(
        select(CoinImage)
        .where(CoinImage.coin_id == coin_id, CoinImage.mime_type.like("image/%"))
        .order_by(rank, CoinImage.id)
    )
    return list(result.all())


async def _read_image(image_type: str, file_path: str) -> ImagePart | None:
    """The file as an API image, or None when it is missing, too big or not an image."""
    data = await asyncio.to_thread(_load_file, Path(file_path))
    media_type = next((m for m, sniff in IMAGE_MAGIC.items() if data and sniff(data)), None)
    if data is None or media_type is None:
        return None
    return ImagePart(image_type=image_type, media_type=media_type, data=data)


def _load_file(path: Path) -> bytes | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None
