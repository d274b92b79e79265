"""Imports every models module so `Base.metadata` knows every table (Alembic, tests)."""

from __future__ import annotations

from coinstack_graphql.auctions import audit_models  # noqa: F401
from coinstack_graphql.auth import models as auth_models  # noqa: F401
from coinstack_graphql.coins import children  # noqa: F401
from coinstack_graphql.collections import models as collection_models  # noqa: F401
from coinstack_graphql.db.base import Base
from coinstack_graphql.enrichment import models as enrichment_models  # noqa: F401
from coinstack_graphql.grading import models as grading_models  # noqa: F401
from coinstack_graphql.market import models as market_models  # noqa: F401
from coinstack_graphql.references import models as reference_models  # noqa: F401
from coinstack_graphql.series import models as series_models  # noqa: F401
from coinstack_graphql.vocab import models as vocab_models  # noqa: F401
from coinstack_graphql.wishlist import models as wishlist_models  # noqa: F401

metadata = Base.metadata
