"""`Coin`, `Mint`, the coin's child rows and its V3 value objects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import Parent

from coinstack_graphql.auctions import audit_models as audit
from coinstack_graphql.coins import children
from coinstack_graphql.coins import models as m
from coinstack_graphql.enrichment.models import Capability, ReviewStatus
from coinstack_graphql.graphql.coins import loaders as ld
from coinstack_graphql.graphql.collections.loaders import CollectionsByCoinIdLoader
from coinstack_graphql.graphql.context import Info
from coinstack_graphql.graphql.core.loaders import load, relation
from coinstack_graphql.graphql.core.model_fields import graphql_enum, model_type
from coinstack_graphql.graphql.core.relay import Node
from coinstack_graphql.graphql.grading.loaders import (
    CensusSnapshotsByCoinIdLoader,
    GradingHistoryByCoinIdLoader,
    RarityAssessmentsByCoinIdLoader,
)
from coinstack_graphql.graphql.market.loaders import ValuationsByCoinIdLoader
from coinstack_graphql.graphql.references.loaders import CoinReferencesByCoinIdLoader
from coinstack_graphql.vocab import models as vocab

if TYPE_CHECKING:
    from coinstack_graphql.graphql.auctions.types import AuctionLot
    from coinstack_graphql.graphql.collections.types import Collection
    from coinstack_graphql.graphql.enrichment.types import LLMEnrichment
    from coinstack_graphql.graphql.grading.types import (
        CensusSnapshot,
        GradingEvent,
        RarityAssessment,
    )
    from coinstack_graphql.graphql.market.types import CoinValuation
    from coinstack_graphql.graphql.references.types import CoinReference

Lazy = strawberry.lazy
GradingEventT = Annotated["GradingEvent", Lazy("coinstack_graphql.graphql.grading.types")]
RarityT = Annotated["RarityAssessment", Lazy("coinstack_graphql.graphql.grading.types")]
CensusT = Annotated["CensusSnapshot", Lazy("coinstack_graphql.graphql.grading.types")]
CoinReferenceT = Annotated["CoinReference", Lazy("coinstack_graphql.graphql.references.types")]
EnrichmentT = Annotated["LLMEnrichment", Lazy("coinstack_graphql.graphql.enrichment.types")]
ValuationT = Annotated["CoinValuation", Lazy("coinstack_graphql.graphql.market.types")]
CollectionT = Annotated["Collection", Lazy("coinstack_graphql.graphql.collections.types")]
AuctionLotT = Annotated["AuctionLot", Lazy("coinstack_graphql.graphql.auctions.types")]

CapabilityEnum = graphql_enum(Capability)
ReviewStatusEnum = graphql_enum(ReviewStatus)


@model_type(m.Mint, name="Mint", description="A mint, with its place on the map.")
class Mint(Node):
    pass


@model_type(vocab.VocabTerm, name="VocabTerm", exclude=["extra"],
            description="A controlled-vocabulary term (issuer, mint, denomination, dynasty).")
class VocabTerm(Node):
    @strawberry.field(description="The Nomisma.org URI of the term, when known.")
    def nomisma_uri(self, root: Parent[vocab.VocabTerm]) -> str | None:
        return f"http://nomisma.org/id/{root.nomisma_id}" if root.nomisma_id else None


@model_type(children.CoinImage, name="CoinImage", exclude=["coin_id"])
class CoinImage(Node):
    pass


@model_type(children.ProvenanceEvent, name="ProvenanceEvent", exclude=["coin_id"],
            description="One step of a coin's ownership history, oldest first.")
class ProvenanceEvent(Node):
    pass


@model_type(children.Countermark, name="Countermark", exclude=["coin_id"])
class Countermark(Node):
    pass


@model_type(audit.FieldHistory, name="FieldChange", exclude=["coin_id"],
            description="One changed field of a coin; changes of one write share a batchId.")
class FieldChange(Node):
    pass


def _current_entry(rows: list[Any]) -> Any:
    return next((e for e in rows if e.is_current), None)


def _primary_entry(rows: list[Any]) -> Any:
    return next((r for r in rows if r.is_primary), None)


def _first(rows: list[Any]) -> Any:
    return rows[0] if rows else None


@model_type(m.Coin, name="CoinSecondaryAuthority", node=False,
            fields=["secondary_authority", "authority_type"])
class CoinSecondaryAuthority:
    @strawberry.field
    @relation(ld.VocabTermByIdLoader, key="secondary_authority_term_id")
    def term(self, root: Parent[m.Coin], info: Info) -> VocabTerm | None: ...


@model_type(m.Coin, name="CoinCoRuler", node=False, fields=["co_ruler", "portrait_relationship"])
class CoinCoRuler:
    @strawberry.field
    @relation(ld.VocabTermByIdLoader, key="co_ruler_term_id")
    def term(self, root: Parent[m.Coin], info: Info) -> VocabTerm | None: ...


@model_type(m.Coin, name="CoinPhysical", node=False,
            fields=["weight_standard", "expected_weight_g", "flan_shape", "flan_type", "flan_notes"])
class CoinPhysical:
    pass


@model_type(m.Coin, name="CoinSecondaryTreatments", node=False, fields=[
    "is_overstrike", "undertype_visible", "undertype_attribution", "has_test_cut",
    "test_cut_count", "test_cut_positions", "has_bankers_marks", "has_graffiti",
    "graffiti_description", "was_mounted", "mount_evidence"])
class CoinSecondaryTreatments:
    pass


@model_type(m.Coin, name="CoinTooling", node=False,
            fields=["tooling_extent", "tooling_details", "has_ancient_repair", "ancient_repairs"])
class CoinTooling:
    pass


@model_type(m.Coin, name="CoinCentering", node=False, fields=["centering", "centering_notes"])
class CoinCentering:
    pass


@model_type(m.Coin, name="CoinDieStudy", node=False, fields=[
    "obverse_die_state", "reverse_die_state", "die_break_description", "obverse_die_id",
    "reverse_die_id", "die_study_group", "die_match_notes"])
class CoinDieStudy:
    @strawberry.field(description="A coin of the collection struck from the same obverse die.")
    @relation(ld.CoinByIdLoader, key="die_study_obverse_id")
    def obverse_die_match(self, root: Parent[m.Coin], info: Info) -> Coin | None: ...

    @strawberry.field(description="A coin of the collection struck from the same reverse die.")
    @relation(ld.CoinByIdLoader, key="die_study_reverse_id")
    def reverse_die_match(self, root: Parent[m.Coin], info: Info) -> Coin | None: ...


@model_type(m.Coin, name="CoinTpgGrading", node=False, fields=[
    "grade_numeric", "grade_designation", "has_star_designation", "photo_certificate",
    "verification_url", "ngc_strike_grade", "ngc_surface_grade", "is_fine_style"])
class CoinTpgGrading:
    pass


@model_type(m.Coin, name="CoinChronology", node=False,
            fields=["date_period_notation", "emission_phase"])
class CoinChronology:
    pass


@model_type(m.Coin, name="CoinStrikeQuality", node=False, fields=[
    "strike_quality_detail", "is_double_struck", "is_brockage", "is_off_center",
    "off_center_pct"])
class CoinStrikeQuality:
    pass


# The V2.1 columns shown flat on Coin; V3 phase-1 columns appear in the value objects.
V21_COLUMNS = [
    name for name, col in __import__("coinstack_graphql.graphql.core.model_fields",
                                     fromlist=["model_columns"]).model_columns(m.Coin).items()
    if name != "id" and not col.info.get("phase")
    and name not in {"die_study_obverse_id", "die_study_reverse_id", "die_study_group",
                     "obverse_die_id", "reverse_die_id", "die_match_notes",
                     "issuer_term_id", "mint_term_id", "denomination_term_id", "dynasty_term_id",
                     "llm_analysis_sections", "llm_suggested_references", "mint"}
]


@model_type(m.Coin, name="Coin", fields=V21_COLUMNS,
            description="A coin of the collection, with its whole V3 neighbourhood.")
class Coin(Node):
    @strawberry.field
    def secondary_authority(self, root: Parent[m.Coin]) -> CoinSecondaryAuthority:
        return root  # type: ignore[return-value]

    @strawberry.field
    def co_ruler(self, root: Parent[m.Coin]) -> CoinCoRuler:
        return root  # type: ignore[return-value]

    @strawberry.field
    def physical(self, root: Parent[m.Coin]) -> CoinPhysical:
        return root  # type: ignore[return-value]

    @strawberry.field
    def secondary_treatments(self, root: Parent[m.Coin]) -> CoinSecondaryTreatments:
        return root  # type: ignore[return-value]

    @strawberry.field
    def tooling(self, root: Parent[m.Coin]) -> CoinTooling:
        return root  # type: ignore[return-value]

    @strawberry.field
    def centering(self, root: Parent[m.Coin]) -> CoinCentering:
        return root  # type: ignore[return-value]

    @strawberry.field
    def die_study(self, root: Parent[m.Coin]) -> CoinDieStudy:
        return root  # type: ignore[return-value]

    @strawberry.field
    def tpg_grading(self, root: Parent[m.Coin]) -> CoinTpgGrading:
        return root  # type: ignore[return-value]

    @strawberry.field
    def chronology(self, root: Parent[m.Coin]) -> CoinChronology:
        return root  # type: ignore[return-value]

    @strawberry.field
    def strike_quality_detail(self, root: Parent[m.Coin]) -> CoinStrikeQuality:
        return root  # type: ignore[return-value]

    @strawberry.field(description="The V2.1 free-form secondary treatments JSON, as stored.")
    def secondary_treatments_json(self, root: Parent[m.Coin]) -> strawberry.scalars.JSON | None:
        return root.secondary_treatments

    @strawberry.field(description="The mint as written on the coin record (free text).")
    def mint_name(self, root: Parent[m.Coin]) -> str | None:
        return root.mint

    @strawberry.field(description="The mint record, with coordinates.")
    @relation(ld.MintByIdLoader, key="mint_id")
    def mint(self, root: Parent[m.Coin], info: Info) -> Mint | None: ...

    @strawberry.field
    @relation(ld.VocabTermByIdLoader, key="issuer_term_id")
    def issuer_term(self, root: Parent[m.Coin], info: Info) -> VocabTerm | None: ...

    @strawberry.field
    @relation(ld.VocabTermByIdLoader, key="mint_term_id")
    def mint_term(self, root: Parent[m.Coin], info: Info) -> VocabTerm | None: ...

    @strawberry.field
    @relation(ld.VocabTermByIdLoader, key="denomination_term_id")
    def denomination_term(self, root: Parent[m.Coin], info: Info) -> VocabTerm | None: ...

    @strawberry.field
    @relation(ld.VocabTermByIdLoader, key="dynasty_term_id")
    def dynasty_term(self, root: Parent[m.Coin], info: Info) -> VocabTerm | None: ...

    @strawberry.field(description="Images, the primary one first.")
    @relation(ld.CoinImagesByCoinIdLoader)
    def images(self, root: Parent[m.Coin], info: Info) -> list[CoinImage]: ...

    @strawberry.field(description="Catalogue citations, the primary one first.")
    @relation(CoinReferencesByCoinIdLoader)
    def references(self, root: Parent[m.Coin], info: Info) -> list[CoinReferenceT]: ...

    @strawberry.field(description="Ownership history in order.")
    @relation(ld.ProvenanceEventsByCoinIdLoader)
    def provenance_events(self, root: Parent[m.Coin], info: Info) -> list[ProvenanceEvent]: ...

    @strawberry.field
    @relation(ld.CountermarksByCoinIdLoader)
    def countermarks(self, root: Parent[m.Coin], info: Info) -> list[Countermark]: ...

    @strawberry.field
    @relation(ld.TagsByCoinIdLoader)
    def tags(self, root: Parent[m.Coin], info: Info) -> list[str]: ...

    @strawberry.field(description="The grading lifecycle in sequence order.")
    @relation(GradingHistoryByCoinIdLoader)
    def grading_history(self, root: Parent[m.Coin], info: Info) -> list[GradingEventT]: ...

    @strawberry.field(description="The current grading entry, if the coin has a history.")
    @relation(GradingHistoryByCoinIdLoader, pick=_current_entry)
    def current_grading(self, root: Parent[m.Coin], info: Info) -> GradingEventT | None: ...

    @strawberry.field
    @relation(RarityAssessmentsByCoinIdLoader)
    def rarity_assessments(self, root: Parent[m.Coin], info: Info) -> list[RarityT]: ...

    @strawberry.field
    @relation(RarityAssessmentsByCoinIdLoader, pick=_primary_entry)
    def primary_rarity(self, root: Parent[m.Coin], info: Info) -> RarityT | None: ...

    @strawberry.field
    @relation(CensusSnapshotsByCoinIdLoader)
    def census_snapshots(self, root: Parent[m.Coin], info: Info) -> list[CensusT]: ...

    @strawberry.field(description="LLM enrichments, newest first; superseded ones included.")
    def enrichments(
        self,
        root: Parent[m.Coin],
        info: Info,
        capability: CapabilityEnum | None = None,  # type: ignore[valid-type]
        review_status: ReviewStatusEnum | None = None,  # type: ignore[valid-type]
    ) -> list[EnrichmentT]:
        from coinstack_graphql.graphql.enrichment.loaders import EnrichmentsByCoinIdLoader

        if capability is None and review_status is None:
            return load(info, EnrichmentsByCoinIdLoader, root.id)
        return load(info, EnrichmentsByCoinIdLoader, root.id, lambda found: [
            r for r in found
            if (capability is None or r.capability == capability)
            and (review_status is None or r.review_status == review_status)
        ])

    @strawberry.field(description="Valuation snapshots, newest first.")
    @relation(ValuationsByCoinIdLoader)
    def valuations(self, root: Parent[m.Coin], info: Info) -> list[ValuationT]: ...

    @strawberry.field
    @relation(ValuationsByCoinIdLoader, pick=_first)
    def latest_valuation(self, root: Parent[m.Coin], info: Info) -> ValuationT | None: ...

    @strawberry.field(description="Collections the coin belongs to, smart ones included.")
    @relation(CollectionsByCoinIdLoader)
    def collections(self, root: Parent[m.Coin], info: Info) -> list[CollectionT]: ...

    @strawberry.field(description="Auction records linked to this coin, newest first.")
    @relation(ld.AuctionDataByCoinIdLoader)
    def auction_data(self, root: Parent[m.Coin], info: Info) -> list[AuctionLotT]: ...

    @strawberry.field(description="Field changes, newest first.")
    def field_history(
        self, root: Parent[m.Coin], info: Info, limit: int = 50
    ) -> list[FieldChange]:
        cap = max(0, min(limit, 500))
        return load(info, ld.FieldHistoryByCoinIdLoader, root.id, lambda found: found[:cap])
