"""The server's garbage-collector tuning: on from the environment, off for in-process apps."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from coinstack_graphql.gc_tuning import YOUNG_THRESHOLD, tune_for_server
from coinstack_graphql.settings import Settings


@pytest.fixture
def restore_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_environment_turns_it_on_and_explicit_settings_leave_it_off() -> None:
    assert Settings.from_env({}).tune_gc is True
    assert Settings.from_env({"COINSTACK_TUNE_GC": "0"}).tune_gc is False
    assert Settings().tune_gc is False


def test_tuning_freezes_the_heap_and_raises_the_young_threshold(restore_gc: None) -> None:
    gc.unfreeze()
    tune_for_server()
    assert gc.get_freeze_count() > 10_000  # the interpreter, SQLAlchemy, the schema …
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD
    # Cyclic garbage made afterwards is still collected.
    cycle: list[object] = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
