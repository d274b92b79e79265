"""Reviewing enrichments (approve, reject, revise) and collecting feedback on them.

What approval applies to the coin, through the coin service so field history records it
(change_type "llm", source "llm:<capability>", source id = the enrichment id):

- context_generate: historical_significance.
- legend_expand: obverse/reverse_legend_expanded (a null side is left alone).
- attribution_suggest: issuer, denomination, mint, year_start, year_end, each only when
  the answer gives a value. A reviewer who wants only some of them revises the answer and
  sets the others to null: null means "no suggestion", never "clear the field".
- catalog_suggest: each citation that parses becomes a coin reference with
  attribution_confidence "llm:<confidence>" (through references.service, which also
  builds its OCRE/CRRO/RPC links); citations the coin already has are skipped,
  unparseable ones (already quality flags) are never applied.
- condition_describe: nothing; the description is informational and the grade belongs to
  the grading history, which a person records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.auctions.audit_models import FieldHistory
from coinstack_graphql.coins.history import new_batch_id
from coinstack_graphql.coins.service import update_coin
from coinstack_graphql.coins.validation import camel
from coinstack_graphql.db.base import StrEnum, utcnow
from coinstack_graphql.enrichment.capabilities import (
    COIN_FIELDS,
    CapabilitySpec,
    check_output,
    coin_changes,
    flag,
    get_capability,
    suggested_citations,
    validate_json,
)
from coinstack_graphql.enrichment.models import LLMEnrichment, LLMFeedback, ReviewStatus
from coinstack_graphql.enrichment.usage import UsageDelta, record_usage
from coinstack_graphql.errors import Conflict, DomainError, NotFound, Required
from coinstack_graphql.references.citations import parse_citation
from coinstack_graphql.references.models import CoinReference, ReferenceType
from coinstack_graphql.references.service import add_coin_reference


class ReviewAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REVISE = "revise"


class FeedbackType(StrEnum):
    CORRECTION = "correction"
    HELPFUL = "helpful"
    UNHELPFUL = "unhelpful"
    HALLUCINATION = "hallucination"
    INCOMPLETE = "incomplete"
    OTHER = "other"


STATUS_OF = {
    ReviewAction.APPROVE: ReviewStatus.APPROVED,
    ReviewAction.REJECT: ReviewStatus.REJECTED,
    ReviewAction.REVISE: ReviewStatus.REVISED,
}


@dataclass(frozen=True)
class ReviewOutcome:
    """The reviewed enrichment and what it changed on the coin."""

    enrichment: LLMEnrichment
    coin_changes: dict[str, Any] = field(default_factory=dict)  # column -> new value (JSON)
    reference_ids: list[int] = field(default_factory=list)  # coin_references rows added


async def review_enrichment(
    session: AsyncSession,
    enrichment_id: int,
    action: ReviewAction | str,
    *,
    reviewer: str | None = None,
    notes: str | None = None,
    revised_output: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> ReviewOutcome:
    """Approve (apply), reject (apply nothing) or revise (store corrected output, apply it)."""
    act = _action(action)
    enrichment = await _enrichment(session, enrichment_id)
    if enrichment.review_status != ReviewStatus.PENDING:
        raise Conflict(
            f"enrichment {enrichment_id} was already reviewed ({enrichment.review_status})",
            field=["enrichmentId"],
        )
    if act is not ReviewAction.REJECT and enrichment.superseded_by is not None:
        raise Conflict(
            f"enrichment {enrichment_id} is out of date (superseded by enrichment "
            f"{enrichment.superseded_by}); review the current one",
            field=["enrichmentId"],
        )
    if act is ReviewAction.REVISE and revised_output is None:
        raise Required("revise needs the corrected output", field=["revisedOutput"])
    if act is not ReviewAction.REVISE and revised_output is not None:
        raise DomainError("revisedOutput goes only with the revise action", field=["revisedOutput"])
    spec = get_capability(enrichment.capability)
    outcome = ReviewOutcome(enrichment)
    if act is ReviewAction.APPROVE:
        output = _stored_output(enrichment, spec)
        outcome = await _apply(session, enrichment, spec, output, reviewer, ["enrichmentId"])
    elif act is ReviewAction.REVISE:
        output = _checked_revision(spec, revised_output)
        outcome = await _apply(session, enrichment, spec, output, reviewer, ["revisedOutput"])
        original = _parsed(enrichment.output_content)
        revision = flag("revised", "output replaced by the reviewer", original_output=original)
        enrichment.quality_flags = [*(enrichment.quality_flags or []), revision]
        enrichment.output_content = json.dumps(output, sort_keys=True, ensure_ascii=False)
    else:
        await _free_rejected_slot(session, enrichment)
    when = now or utcnow()
    enrichment.review_status = STATUS_OF[act]
    enrichment.reviewed_by = reviewer
    enrichment.reviewed_at = when
    enrichment.review_notes = notes
    enrichment.needs_review = False
    await session.flush()
    rejected = act is ReviewAction.REJECT
    await record_usage(
        session,
        when.date(),
        enrichment.capability,
        enrichment.model_id,
        UsageDelta(approved=0 if rejected else 1, rejected=1 if rejected else 0),
    )
    return outcome


async def add_enrichment_feedback(
    session: AsyncSession,
    enrichment_id: int,
    feedback_type: FeedbackType | str,
    field_path: str | None = None,
    original_value: Any = None,
    corrected_value: Any = None,
    notes: str | None = None,
    *,
    user_id: str | None = None,
    now: datetime | None = None,
) -> LLMFeedback:
    """Record a reviewer's verdict on (a field of) an answer, for prompt tuning."""
    try:
        kind = FeedbackType(feedback_type)
    except ValueError:
        allowed = ", ".join(t.value for t in FeedbackType)
        raise DomainError(
            f"unknown feedback type {feedback_type!r}; expected one of {allowed}",
            field=["feedbackType"],
        ) from None
    enrichment = await _enrichment(session, enrichment_id)
    spec = get_capability(enrichment.capability)
    if field_path is not None:
        head = field_path.split(".")[0]
        if head not in spec.output_schema["properties"]:
            keys = ", ".join(sorted(spec.output_schema["properties"]))
            raise DomainError(
                f"{field_path!r} is not in a {spec.capability} answer; expected one of {keys}",
                field=["fieldPath"],
            )
        if original_value is None:
            original_value = _lookup(_parsed(enrichment.output_content), field_path)
    if kind is FeedbackType.CORRECTION and corrected_value is None:
        raise Required("a correction needs the corrected value", field=["correctedValue"])
    feedback = LLMFeedback(
        enrichment_id=enrichment.id,
        feedback_type=kind.value,
        field_path=field_path,
        original_value=_as_text(original_value),
        corrected_value=_as_text(corrected_value),
        user_id=user_id,
        feedback_notes=notes,
        created_at=now or utcnow(),
    )
    session.add(feedback)
    await session.flush()
    return feedback


def _action(action: ReviewAction | str) -> ReviewAction:
    try:
        return ReviewAction(action)
    except ValueError:
        raise DomainError(
            f"unknown review action {action!r}; expected approve, reject or revise",
            field=["action"],
        ) from None


async def _enrichment(session: AsyncSession, enrichment_id: int) -> LLMEnrichment:
    enrichment = await session.get(LLMEnrichment, enrichment_id)
    if enrichment is None:
        raise NotFound(f"no enrichment with id {enrichment_id}", field=["enrichmentId"])
    return enrichment


def _stored_output(enrichment: LLMEnrichment, spec: CapabilitySpec) -> dict[str, Any]:
    """The stored answer, which approval may apply only when it matches the schema."""
    output = _parsed(enrichment.output_content)
    issues = validate_json(spec.output_schema, output)
    if issues:
        raise DomainError(
            f"enrichment {enrichment.id} cannot be approved: its output is invalid "
            f"({issues[0]}); revise it with corrected output or reject it",
            field=["enrichmentId"],
        )
    return dict(output)


def _checked_revision(spec: CapabilitySpec, revised: Any) -> dict[str, Any]:
    """The reviewer's output must be a valid answer with nothing that would be flagged."""
    issues = validate_json(spec.output_schema, revised)
    if issues:
        raise DomainError(
            f"revised output: {issues[0].problem}", field=["revisedOutput", *issues[0].path]
        )
    for problem in check_output(spec.capability, revised):
        raise DomainError(
            f"revised output: {problem['message']}",
            field=["revisedOutput", *problem.get("path", [])],
        )
    return dict(revised)


async def _apply(
    session: AsyncSession,
    enrichment: LLMEnrichment,
    spec: CapabilitySpec,
    output: dict[str, Any],
    reviewer: str | None,
    root: list[str],
) -> ReviewOutcome:
    """Write the answer onto the coin; a refusal names `root` (or a key inside it)."""
    applied: dict[str, Any] = {}
    changes = coin_changes(spec.capability, output)
    if changes:
        batch = new_batch_id()
        try:
            await update_coin(
                session,
                enrichment.coin_id,
                changes,
                changed_by=reviewer,
                reason=f"LLM {spec.capability} enrichment {enrichment.id} reviewed",
                source=f"llm:{spec.capability}",
                change_type="llm",
                batch_id=batch,
            )
        except DomainError as exc:
            raise type(exc)(
                f"cannot apply the answer to the coin: {exc.message}",
                field=_answer_path(spec, root, exc.field),
                code=exc.code,
            ) from None
        # update_coin takes no source id; the batch's rows point at the enrichment here.
        await session.execute(
            update(FieldHistory)
            .where(FieldHistory.batch_id == batch)
            .values(new_source_id=str(enrichment.id))
            .execution_options(synchronize_session=False)
        )
        rows = await session.execute(
            select(FieldHistory.field_name, FieldHistory.new_value).where(
                FieldHistory.batch_id == batch
            )
        )
        applied = dict(rows.tuples().all())
    added = []
    for index, citation, confidence in suggested_citations(output):
        where = [*root] if root == ["enrichmentId"] else [*root, "references", str(index)]
        reference = await _add_reference(
            session, enrichment.coin_id, citation, f"llm:{confidence:.2f}", field=where
        )
        if reference is not None:
            added.append(reference.id)
    return ReviewOutcome(enrichment, applied, added)


def _answer_path(spec: CapabilitySpec, root: list[str], path: list[str] | None) -> list[str]:
    """The coin service's error path (["yearStart"]) as a path inside the review input."""
    if root == ["enrichmentId"] or not path:
        return root
    keys = {camel(column): key for key, column in COIN_FIELDS.get(spec.capability, {}).items()}
    return [*root, keys.get(path[-1], path[-1])]


async def _add_reference(
    session: AsyncSession, coin_id: int, citation: str, confidence: str, *, field: list[str]
) -> CoinReference | None:
    """A coin reference for `citation`, or None when the coin already cites that type."""
    parsed = parse_citation(citation)
    present = await session.scalar(
        select(CoinReference.id)
        .join(ReferenceType, ReferenceType.id == CoinReference.reference_type_id)
        .where(
            CoinReference.coin_id == coin_id,
            ReferenceType.system == parsed.system,
            ReferenceType.local_ref_normalized == parsed.normalized,
        )
    )
    if present is not None:
        return None
    try:
        return await add_coin_reference(
            session, coin_id, citation, attribution_confidence=confidence
        )
    except DomainError as exc:
        raise type(exc)(exc.message, field=field, code=exc.code) from None


async def _free_rejected_slot(session: AsyncSession, enrichment: LLMEnrichment) -> None:
    """Keep an earlier rejection of the same input when this one is rejected too.

    The seed's UNIQUE(coin_id, capability, input_hash, review_status) allows one rejected
    row per input; the older one keeps its history under a retired hash ("<hash>~<id>"),
    which no lookup matches (rejected answers are never served from the cache anyway).
    """
    await session.execute(
        update(LLMEnrichment)
        .where(
            LLMEnrichment.coin_id == enrichment.coin_id,
            LLMEnrichment.capability == enrichment.capability,
            LLMEnrichment.input_hash == enrichment.input_hash,
            LLMEnrichment.review_status == ReviewStatus.REJECTED,
            LLMEnrichment.id != enrichment.id,
        )
        .values(input_hash=LLMEnrichment.input_hash + "~" + cast(LLMEnrichment.id, Text))
        .execution_options(synchronize_session=False)
    )


def _parsed(content: str) -> Any:
    try:
        return json.loads(content)
    except (TypeError, ValueError):
        return content


def _lookup(output: Any, dotted: str) -> Any:
    """The value at "references.0.citation" in an answer, or None."""
    value = output
    for part in dotted.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
