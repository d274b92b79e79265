"""Garbage-collector settings for a long-running server process.

A GraphQL request allocates tens of thousands of short-lived objects (rows, result
dicts, futures), and CPython's default thresholds then run a full collection every few
requests over the whole heap — the schema, SQLAlchemy's metadata and compiled caches,
which never become garbage. Measured on the collection page (bench/profile.py), those
full collections took a quarter of the server's time.

So once the app has started, everything alive is moved out of the collector's sight
(`gc.freeze`) and the youngest generation is collected less often. Cyclic garbage is
still collected; only the needless rescans of long-lived objects go.
"""

from __future__ import annotations

import gc
import logging

logger = logging.getLogger(__name__)

# Young-generation threshold: allocations between collections (CPython's default: 700).
YOUNG_THRESHOLD = 50_000


def tune_for_server() -> None:
    """Freeze the start-up heap and raise the young threshold (idempotent)."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
    logger.debug(
        "gc tuned: %d objects frozen, thresholds %s", gc.get_freeze_count(), gc.get_threshold()
    )
