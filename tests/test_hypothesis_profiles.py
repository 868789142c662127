"""The Hypothesis profiles: ``make test`` runs each property with the examples its file asks
for, ``make test-fast`` with a tenth of them."""

from __future__ import annotations

import os

from hypothesis import settings

from conftest import examples


def test_ci_keeps_the_counts_and_fast_takes_a_tenth():
    ci, fast = settings.get_profile("ci"), settings.get_profile("fast")
    assert [examples(n, ci) for n in (1500, 1000, 200, 150)] == [1500, 1000, 200, 150]
    assert [examples(n, fast) for n in (1500, 1000, 200, 150, 50)] == [150, 100, 20, 15, 10]
    assert ci.derandomize and fast.derandomize and ci.database is None and fast.deadline is None


def test_the_loaded_profile_gives_the_counts(pytestconfig):
    chosen = pytestconfig.getoption("hypothesis_profile", None) or os.environ.get("HYPOTHESIS_PROFILE", "ci")
    assert examples(1000) == examples(1000, settings.get_profile(chosen))
