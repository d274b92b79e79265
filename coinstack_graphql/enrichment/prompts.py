"""Prompt templates: choosing a version and A/B variant, rendering, building the request.

`build_message_params` returns exactly the `params` of a Messages API call, so the
synchronous path (`messages.create(**params)`) and a Message Batches runner (one
`{"custom_id", "params"}` per coin) send the same request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import string
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.validation import camel
from coinstack_graphql.db.base import utcnow
from coinstack_graphql.enrichment.capabilities import CapabilitySpec, check_schema, get_capability
from coinstack_graphql.enrichment.models import Capability, PromptTemplate
from coinstack_graphql.errors import Conflict, DomainError, NotFound, Required

FACTS = "coin_facts"  # placeholder for every non-empty snapshot field as "Label: value"
DEFAULT_MAX_TOKENS = 1024
NOT_RECORDED = "(not recorded)"
YEAR_FIELDS = frozenset({"year_start", "year_end"})


@dataclass(frozen=True)
class ImagePart:
    """One coin photograph the request carries."""

    image_type: str
    media_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def block(self) -> dict[str, Any]:
        encoded = base64.b64encode(self.data).decode("ascii")
        return {
            "type": "image",
            "source": {"type": "base64", "media_type": self.media_type, "data": encoded},
        }


# ---- choosing a template


def traffic_point(capability: str, coin_id: int) -> float:
    """A stable point in [0, 1) for this coin and capability (same coin, same variant)."""
    digest = hashlib.sha256(f"{capability}:{coin_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def choose_template(templates: Sequence[PromptTemplate], coin_id: int) -> PromptTemplate:
    """Among the active templates of the highest active version, the variant this coin
    falls into when [0, 1) is cut by the variants' traffic weights (in name order)."""
    active = [t for t in templates if t.is_active]
    if not active:
        capability = templates[0].capability if templates else "this capability"
        raise DomainError(
            f"no active prompt template for {capability}; create or activate one",
            field=["capability"],
        )
    version = max(t.version for t in active)
    variants = sorted(
        (t for t in active if t.version == version), key=lambda t: (t.variant_name, t.id)
    )
    total = sum(max(t.traffic_weight, 0.0) for t in variants)
    if total <= 0:
        raise DomainError(
            f"every active {variants[0].capability} template of version {version} has "
            "traffic weight 0",
            field=["capability"],
        )
    target = traffic_point(str(variants[0].capability), coin_id) * total
    running = 0.0
    for template in variants:
        running += max(template.traffic_weight, 0.0)
        if target < running:
            return template
    return next(t for t in reversed(variants) if t.traffic_weight > 0)  # float rounding


async def capability_templates(session: AsyncSession, spec: CapabilitySpec) -> list[PromptTemplate]:
    """Every template of one capability, oldest first."""
    result = await session.scalars(
        select(PromptTemplate)
        .where(PromptTemplate.capability == spec.capability)
        .order_by(PromptTemplate.id)
    )
    return list(result.all())


def template_digest(template: PromptTemplate) -> str:
    """A digest of what the template sends, so editing a template in place misses the cache."""
    content = {
        "id": template.id,
        "version": template.version,
        "system": template.system_prompt,
        "user": template.user_template,
        "schema": template.output_schema,
        "parameters": template.parameters,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


# ---- rendering


def allowed_placeholders(spec: CapabilitySpec) -> frozenset[str]:
    extra = {FACTS}
    if spec.with_references:
        extra.add("references")
    if spec.requires_vision:
        extra.add("images")
    return frozenset(spec.snapshot_fields) | extra


def placeholders(text: str) -> list[str]:
    """Field names a template uses; ValueError for braces `str.format` cannot read."""
    names = []
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not name.isidentifier() or conversion or spec:
            raise ValueError(
                f"{{{name}}} is not a plain placeholder: use {{field_name}}, and write "
                "literal braces as {{ and }}"
            )
        names.append(name)
    return names


def check_user_template(spec: CapabilitySpec, text: str, *, field: list[str]) -> None:
    """Refuse a template naming anything the capability's snapshot does not hold."""
    try:
        names = placeholders(text)
    except ValueError as exc:
        raise DomainError(str(exc), field=field) from None
    allowed = allowed_placeholders(spec)
    unknown = sorted(set(names) - allowed)
    if unknown:
        raise DomainError(
            f"unknown placeholder {{{unknown[0]}}} for {spec.capability}; available: "
            + ", ".join(sorted(allowed)),
            field=field,
        )


def display_value(key: str, value: Any) -> str:
    """How one snapshot value reads in a prompt (years as 44 BC / AD 14)."""
    if value is None or value == [] or value == "":
        return NOT_RECORDED
    if key in YEAR_FIELDS and isinstance(value, int):
        return f"{-value} BC" if value < 0 else f"AD {value}"
    if key == "images" and isinstance(value, list):
        return ", ".join(str(image.get("image_type")) for image in value)
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def coin_facts(spec: CapabilitySpec, snapshot: Mapping[str, Any]) -> str:
    """Every non-empty snapshot field, one "Label: value" line each, in the spec's order."""
    order = [*spec.snapshot_fields, "references", "images"]
    lines = []
    for key in order:
        if key in snapshot and display_value(key, snapshot[key]) != NOT_RECORDED:
            label = "Catalogue references already recorded" if key == "references" else key
            lines.append(
                f"{label.replace('_', ' ').capitalize()}: {display_value(key, snapshot[key])}"
            )
    return "\n".join(lines)


def render_user_prompt(
    spec: CapabilitySpec, template: PromptTemplate, snapshot: Mapping[str, Any]
) -> str:
    """The template's user text with the snapshot's values filled in."""
    values = {key: display_value(key, snapshot.get(key)) for key in allowed_placeholders(spec)}
    values[FACTS] = coin_facts(spec, snapshot)
    return template.user_template.format_map(values)


def build_message_params(
    spec: CapabilitySpec,
    template: PromptTemplate,
    snapshot: Mapping[str, Any],
    images: Sequence[ImagePart],
    *,
    model: str,
) -> dict[str, Any]:
    """The Messages API parameters: system, user content, forced tool, limits."""
    prompt = render_user_prompt(spec, template, snapshot)
    content: str | list[dict[str, Any]] = prompt
    if images:
        blocks: list[dict[str, Any]] = []
        for number, image in enumerate(images, start=1):
            blocks.append({"type": "text", "text": f"Image {number}: {image.image_type}"})
            blocks.append(image.block())
        content = [*blocks, {"type": "text", "text": prompt}]
    parameters = template.parameters or {}
    params: dict[str, Any] = {
        "model": model,
        "max_tokens": int(parameters.get("max_tokens", DEFAULT_MAX_TOKENS)),
        "system": template.system_prompt,
        "messages": [{"role": "user", "content": content}],
        "tools": [spec.tool(template.output_schema)],
        "tool_choice": {"type": "tool", "name": spec.tool_name},
    }
    return params


# ---- creating and editing templates


@dataclass
class PromptTemplateInput:
    """Every writable field of a new template; None for schema/vision means the capability's."""

    capability: Capability | str
    version: int
    system_prompt: str
    user_template: str
    variant_name: str = "default"
    traffic_weight: float = 1.0
    output_schema: dict[str, Any] | None = None
    requires_vision: bool | None = None
    parameters: dict[str, Any] | None = None
    is_active: bool = True
    notes: str | None = None


TEMPLATE_FIELDS = {
    key: camel(key)
    for key in (
        "version",
        "variant_name",
        "traffic_weight",
        "system_prompt",
        "user_template",
        "output_schema",
        "requires_vision",
        "parameters",
        "is_active",
        "notes",
    )
}  # snake_case key -> the GraphQL name used in error paths


async def create_prompt_template(
    session: AsyncSession, data: PromptTemplateInput, *, now: datetime | None = None
) -> PromptTemplate:
    """Insert a template version/variant after checking it against its capability."""
    spec = get_capability(data.capability)
    values = asdict(data)
    del values["capability"]
    if values["requires_vision"] is None:
        values["requires_vision"] = spec.requires_vision
    values = _checked(spec, values)
    await _check_unique(session, spec.capability, values["version"], values["variant_name"])
    template = PromptTemplate(capability=spec.capability, **values)
    template.deprecated_at = None if template.is_active else (now or utcnow())
    session.add(template)
    await session.flush()
    return template


async def update_prompt_template(
    session: AsyncSession,
    template_id: int,
    changes: Mapping[str, Any],
    *,
    now: datetime | None = None,
) -> PromptTemplate:
    """Change the keys present in `changes`; deactivating stamps `deprecated_at`."""
    template = await session.get(PromptTemplate, template_id)
    if template is None:
        raise NotFound(f"no prompt template with id {template_id}", field=["templateId"])
    for key in changes:
        if key not in TEMPLATE_FIELDS:
            raise DomainError(f"{key!r} is not a writable template field", field=[key])
    spec = get_capability(template.capability)
    values = _checked(spec, changes)
    if {"version", "variant_name"} & values.keys():
        await _check_unique(
            session,
            spec.capability,
            values.get("version", template.version),
            values.get("variant_name", template.variant_name),
            exclude_id=template.id,
        )
    if "is_active" in values and values["is_active"] != template.is_active:
        template.deprecated_at = None if values["is_active"] else (now or utcnow())
    for key, value in values.items():
        setattr(template, key, value)
    await session.flush()
    return template


async def _check_unique(
    session: AsyncSession,
    capability: Capability,
    version: int,
    variant_name: str,
    *,
    exclude_id: int | None = None,
) -> None:
    query = select(PromptTemplate.id).where(
        PromptTemplate.capability == capability,
        PromptTemplate.version == version,
        PromptTemplate.variant_name == variant_name,
    )
    if exclude_id is not None:
        query = query.where(PromptTemplate.id != exclude_id)
    if await session.scalar(query) is not None:
        raise Conflict(
            f"{capability} version {version} already has a variant {variant_name!r}",
            field=["variantName"],
        )


def _checked(spec: CapabilitySpec, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validated column values; every check runs before anything is written."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        field = [TEMPLATE_FIELDS[key]]
        if value is None and key not in ("output_schema", "parameters", "notes"):
            raise Required(f"{field[0]} cannot be null", field=field)
        if key == "version":
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise DomainError(
                    f"version must be a whole number >= 1; got {value!r}", field=field
                )
        elif (
            key in ("variant_name", "system_prompt", "user_template", "notes") and value is not None
        ):
            value = _text(value, field, limit=50 if key == "variant_name" else 20_000)
            if key == "user_template" and value is not None:
                check_user_template(spec, value, field=field)
        elif key == "traffic_weight":
            value = check_weight(value, field=field)
        elif key == "output_schema" and value is not None:
            value = check_output_schema(spec, value, field=field)
        elif key == "parameters":
            value = check_parameters(value, field=field)
        elif key in ("requires_vision", "is_active") and not isinstance(value, bool):
            raise DomainError(f"expected true or false; got {value!r}", field=field)
        if key == "requires_vision" and value != spec.requires_vision:
            need = "reads the coin's images" if spec.requires_vision else "does not read images"
            raise DomainError(f"{spec.capability} {need}", field=field)
        out[key] = value
    return out


def _text(value: Any, field: list[str], *, limit: int) -> str | None:
    if not isinstance(value, str):
        raise DomainError(f"expected text; got {value!r}", field=field)
    text = value.strip()
    if not text:
        if field == ["notes"]:
            return None
        raise Required(f"{field[0]} must not be blank", field=field)
    if len(text) > limit:
        raise DomainError(f"at most {limit} characters; got {len(text)}", field=field)
    return text


# ---- checking template input (used by templates' create and update)


def check_weight(value: Any, *, field: list[str]) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DomainError(f"expected a number; got {value!r}", field=field)
    if value < 0:
        raise DomainError(f"traffic weight must be >= 0; got {value}", field=field)
    return float(value)


def check_output_schema(spec: CapabilitySpec, schema: Any, *, field: list[str]) -> dict[str, Any]:
    """A template's own schema must be readable and still require what approval applies."""
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise DomainError(
            'the output schema must be a JSON object schema ("type": "object")', field=field
        )
    problems = check_schema(schema)
    if problems:
        raise DomainError(f"unsupported output schema: {problems[0]}", field=field)
    missing = sorted(set(spec.output_schema["required"]) - set(schema.get("required", ())))
    if missing:
        raise DomainError(
            f"the output schema of {spec.capability} must require {', '.join(missing)}",
            field=field,
        )
    return schema


def check_parameters(value: Any, *, field: list[str]) -> dict[str, Any] | None:
    """Request parameters a template may set: max_tokens (1–32000).

    The Messages API version this SDK speaks no longer takes `temperature` (it answers
    400), so a template that sets it is refused here rather than failing every call.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise DomainError("parameters must be a JSON object", field=field)
    for key, item in value.items():
        if key == "max_tokens":
            if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= 32000:
                raise DomainError(
                    "max_tokens must be a whole number from 1 to 32000", field=[*field, key]
                )
        elif key == "temperature":
            raise DomainError(
                "temperature is not accepted by the current Messages API; remove it",
                field=[*field, key],
            )
        else:
            raise DomainError(
                f"unknown parameter {key!r}; expected max_tokens", field=[*field, key]
            )
    return dict(value)
