"""External catalogue links of a reference type: OCRE, CRRO, RPC Online, Nomisma, PELLA, SCO.

One link per type and catalogue (UNIQUE(reference_type_id, catalog_source)).
`upsert_external_catalog_link` is the user's write: it replaces the type's link to that
catalogue. `add_deterministic_links` is the automatic one: it writes only links that follow
from the citation itself (`references.external_ids`) and never touches a link that exists,
so a user's correction is never overwritten.

A URL left out is built from the id by each catalogue's published scheme:
numismatics.org/{ocre,crro,pella,sco}/id/<id>, rpc.ashmus.ox.ac.uk/coins/<volume>/<number>,
nomisma.org/id/<id>. An id is checked against its catalogue's form (an OCRE id starts
"ric.", a CRRO id "rrc-", an RPC Online id is "<volume>/<number>") so that a link filed
under the wrong catalogue is caught.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coinstack_graphql.coins.validation import coerce_enum, coerce_json, coerce_text
from coinstack_graphql.errors import DomainError, NotFound, Required
from coinstack_graphql.references.citations import CitationError, parse_citation
from coinstack_graphql.references.external_ids import (
    CRRO_BASE_URL,
    OCRE_BASE_URL,
    RPC_ONLINE_BASE_URL,
    external_targets,
)
from coinstack_graphql.references.models import CatalogSource, ExternalCatalogLink, ReferenceType

BASE_URLS: dict[CatalogSource, str] = {
    CatalogSource.OCRE: OCRE_BASE_URL,
    CatalogSource.CRRO: CRRO_BASE_URL,
    CatalogSource.RPC_ONLINE: RPC_ONLINE_BASE_URL,
    CatalogSource.NOMISMA: "http://nomisma.org/id/",
    CatalogSource.PELLA: "http://numismatics.org/pella/id/",
    CatalogSource.SCO: "http://numismatics.org/sco/id/",
}
# (pattern, example) of each catalogue's ids; "other" takes any id without spaces.
ID_FORMS: dict[CatalogSource, tuple[re.Pattern[str], str]] = {
    CatalogSource.OCRE: (re.compile(r"ric\.\d[^\s/]*\.[^\s/]+"), "ric.1(2).aug.207"),
    CatalogSource.CRRO: (re.compile(r"rrc-\d+\.\d+[a-z0-9.]*"), "rrc-443.1"),
    CatalogSource.RPC_ONLINE: (re.compile(r"\d{1,2}/\d+[A-Za-z]?"), "1/4967"),
    CatalogSource.NOMISMA: (re.compile(r"[A-Za-z0-9][\w.-]*"), "augustus"),
    CatalogSource.PELLA: (re.compile(r"price\.[^\s/]+"), "price.3900"),
    CatalogSource.SCO: (re.compile(r"sc\.[^\s/]+"), "sc.1.84"),
    CatalogSource.OTHER: (re.compile(r"\S+"), "an id without spaces"),
}
_WEB_URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)


async def upsert_external_catalog_link(
    session: AsyncSession,
    reference_type_id: int,
    catalog_source: CatalogSource | str,
    external_id: str,
    external_url: str | None = None,
    external_data: Any = None,
) -> ExternalCatalogLink:
    """Set the type's link to one catalogue, replacing the one it had."""
    source = coerce_enum(CatalogSource, catalog_source, ["catalogSource"])
    assert isinstance(source, CatalogSource)
    ident = _external_id(source, external_id)
    url = _url(external_url) or (BASE_URLS[source] + ident if source in BASE_URLS else None)
    data = None if external_data is None else coerce_json(external_data, ["externalData"])
    await reference_type_or_404(session, reference_type_id)
    link = await session.scalar(
        select(ExternalCatalogLink).where(
            ExternalCatalogLink.reference_type_id == reference_type_id,
            ExternalCatalogLink.catalog_source == source,
        )
    )
    if link is None:
        link = ExternalCatalogLink(reference_type_id=reference_type_id, catalog_source=source)
        session.add(link)
    link.external_id, link.external_url, link.external_data = ident, url, data
    await session.flush()
    return link


async def remove_external_catalog_link(session: AsyncSession, link_id: int) -> int:
    """Delete a link; returns its reference type's id."""
    link = await session.get(ExternalCatalogLink, link_id)
    if link is None:
        raise NotFound(
            f"no external catalogue link with id {link_id}", field=["externalCatalogLinkId"]
        )
    type_id = link.reference_type_id
    await session.delete(link)
    await session.flush()
    return type_id


async def add_deterministic_links(
    session: AsyncSession, reference_type: ReferenceType, authority: str | None = None
) -> list[ExternalCatalogLink]:
    """Write the links the type's citation pins down (OCRE also needs the coin's issuer)
    to catalogues the type has no link to yet; returns the new links."""
    try:
        parsed = parse_citation(reference_type.local_ref)
    except CitationError:
        return []  # a legacy display form the parser cannot read pins nothing down
    if parsed.normalized != reference_type.local_ref_normalized:
        return []
    targets = external_targets(parsed, authority)
    if not targets:
        return []
    linked = set(
        await session.scalars(
            select(ExternalCatalogLink.catalog_source).where(
                ExternalCatalogLink.reference_type_id == reference_type.id
            )
        )
    )
    new = [
        ExternalCatalogLink(
            reference_type_id=reference_type.id,
            catalog_source=CatalogSource(target.catalog_source),
            external_id=target.external_id,
            external_url=target.external_url,
        )
        for target in targets
        if CatalogSource(target.catalog_source) not in linked
    ]
    if new:
        session.add_all(new)
        await session.flush()
    return new


async def reference_type_or_404(
    session: AsyncSession, type_id: int, *, field: list[str] | None = None
) -> ReferenceType:
    reference_type = await session.get(ReferenceType, type_id)
    if reference_type is None:
        where = field or ["referenceTypeId"]
        raise NotFound(f"no reference type with id {type_id}", field=where)
    return reference_type


def _external_id(source: CatalogSource, value: Any) -> str:
    ident = None if value is None else coerce_text(value, ["externalId"], max_length=None)
    if ident is None:
        raise Required("externalId is required", field=["externalId"])
    pattern, example = ID_FORMS[source]
    if not pattern.fullmatch(ident):
        message = f"{ident!r} is not a {source.value} id; they look like {example!r}"
        raise DomainError(message, field=["externalId"])
    return ident


def _url(value: Any) -> str | None:
    url = None if value is None else coerce_text(value, ["externalUrl"], max_length=None)
    if url is not None and not _WEB_URL.fullmatch(url):
        raise DomainError(
            f"externalUrl must be an http or https address; got {url!r}", field=["externalUrl"]
        )
    return url
