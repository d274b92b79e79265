"""`CoinFilter` and `CoinOrder`: what `coins(filter:, orderBy:)` and smart collections take."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry

from coinstack_graphql.coins.enums import Category, GradeService, GradingState, Metal
from coinstack_graphql.coins.filters import CoinCriteria
from coinstack_graphql.grading.models import RarityCode
from coinstack_graphql.graphql.core.model_fields import graphql_enum
from coinstack_graphql.graphql.core.relay import decode_id

CategoryEnum = graphql_enum(Category)
MetalEnum = graphql_enum(Metal)
GradeServiceEnum = graphql_enum(GradeService)
GradingStateEnum = graphql_enum(GradingState)
RarityCodeEnum = graphql_enum(RarityCode)


@strawberry.enum(description="Physical issues a coin can be filtered on.")
class CoinIssue(Enum):
    TEST_CUT = "testCut"
    OVERSTRIKE = "overstrike"
    BANKERS_MARKS = "bankersMarks"
    GRAFFITI = "graffiti"
    MOUNTED = "mounted"
    ANCIENT_REPAIR = "ancientRepair"
    DOUBLE_STRUCK = "doubleStruck"
    BROCKAGE = "brockage"
    OFF_CENTER = "offCenter"


@strawberry.input(description="Conditions on coins; all given conditions must hold.")
class CoinFilter:
    category: list[CategoryEnum] | None = None  # type: ignore[valid-type]
    metal: list[MetalEnum] | None = None  # type: ignore[valid-type]
    denomination: list[str] | None = None
    issuer: list[str] | None = strawberry.field(
        default=None, description="Issuer names; a coin matches if its issuer contains one."
    )
    mint: list[strawberry.ID] | None = strawberry.field(default=None, description="Mint IDs.")
    mint_name: str | None = None
    year_from: int | None = strawberry.field(
        default=None, description="Earliest year (negative = BC); coins whose dating overlaps."
    )
    year_to: int | None = strawberry.field(default=None, description="Latest year (negative = BC).")
    grade: str | None = None
    grade_service: list[GradeServiceEnum] | None = None  # type: ignore[valid-type]
    grading_state: list[GradingStateEnum] | None = None  # type: ignore[valid-type]
    rarity_code: list[RarityCodeEnum] | None = None  # type: ignore[valid-type]
    collection: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Collection IDs; smart collections match by their filter."
    )
    reference: str | None = strawberry.field(
        default=None,
        description='A citation such as "RIC II 118"; concordant citations match too.',
    )
    has_issues: list[CoinIssue] | None = None
    acquisition_price_min: Decimal | None = None
    acquisition_price_max: Decimal | None = None
    tag: list[str] | None = None
    for_sale: bool | None = None
    search: str | None = strawberry.field(
        default=None, description="Words to find in issuer, legends, descriptions and notes."
    )

    def to_criteria(self) -> CoinCriteria:
        return CoinCriteria(
            categories=list(self.category or []),
            metals=list(self.metal or []),
            denominations=list(self.denomination or []),
            issuers=list(self.issuer or []),
            mint_ids=[decode_id(i, "Mint", argument="filter.mint") for i in self.mint or []],
            mint_name=self.mint_name,
            year_from=self.year_from,
            year_to=self.year_to,
            grade=self.grade,
            grade_services=list(self.grade_service or []),
            grading_states=list(self.grading_state or []),
            rarity_codes=[code.value for code in self.rarity_code or []],
            collection_ids=[
                decode_id(i, "Collection", argument="filter.collection")
                for i in self.collection or []
            ],
            reference=self.reference,
            has_issues=[issue.value for issue in self.has_issues or []],
            acquisition_price_min=self.acquisition_price_min,
            acquisition_price_max=self.acquisition_price_max,
            tags=list(self.tag or []),
            for_sale=self.for_sale,
            search=self.search,
        )


@strawberry.enum
class CoinOrderField(Enum):
    ID = "id"
    YEAR_START = "year_start"
    ACQUISITION_DATE = "acquisition_date"
    ACQUISITION_PRICE = "acquisition_price"
    CURRENT_VALUE = "current_value"
    WEIGHT_G = "weight_g"
    ISSUER = "issuer"
    DENOMINATION = "denomination"
    CREATED_AT = "created_at"


@strawberry.enum
class OrderDirection(Enum):
    ASC = "asc"
    DESC = "desc"


@strawberry.input(description="One ordering term; ties always break on the coin's ID.")
class CoinOrder:
    field: CoinOrderField
    direction: OrderDirection = OrderDirection.ASC
