"""The property tests find new bugs in CI too (issue #15, finding 8).

They replayed the same derandomised examples on every run; now each run draws new ones from a
seed it prints, and HYPOTHESIS_SEED replays a run. Boundary values are explicit examples.
"""

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
from django.conf import settings
from hypothesis import core, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.conftest import pytest_collection_modifyitems

from .badinput import BOUNDARY, EXAMPLES, boundary_examples


def test_each_run_draws_new_examples_within_a_bounded_budget():
    assert EXAMPLES.derandomize is False
    assert EXAMPLES.print_blob is True  # a failure prints its @reproduce_failure blob
    assert EXAMPLES.deadline is None
    assert 0 < EXAMPLES.max_examples <= 200
    assert core.global_force_seed == int(os.environ["HYPOTHESIS_SEED"])
    # and so does a property test with no settings of its own, in CI too (whose profile would
    # otherwise derandomise it)
    assert hypothesis_settings.default.derandomize is False


def test_the_run_prints_its_seed_and_a_seed_replays_it():
    env = {**os.environ, "HYPOTHESIS_SEED": "4242", "CI": "true"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly",
         "tests/security/test_property_test_settings.py::"
         "test_each_run_draws_new_examples_within_a_bounded_budget"],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "hypothesis seed 4242: replay with HYPOTHESIS_SEED=4242" in done.stdout


def test_boundary_values_are_explicit_examples_of_every_form():
    for value in ("99999999999999999999999", "²", "٣", "\x00", "", "x" * 100_000):
        assert value in BOUNDARY
    examples = boundary_examples({"likelihood": [1, 2], "note": ["text", ""]})
    assert {"likelihood": "²", "note": "²"} in examples
    assert {"likelihood": "1", "note": "\x00"} in examples or {
        "likelihood": "\x00", "note": "text"} in examples
    assert len(examples) == 2 * len(BOUNDARY)


def test_a_property_test_that_replays_fixed_examples_is_refused_at_collection():
    @hypothesis_settings(derandomize=True)
    @given(st.integers())
    def fixed(x):
        pass

    @given(st.integers())
    def fresh(x):
        pass

    def item(name, obj):
        return SimpleNamespace(nodeid=f"tests/x.py::{name}", obj=obj, fixturenames=(),
                               get_closest_marker=lambda marker: None)

    pytest_collection_modifyitems(None, [item("fresh", fresh)])
    with pytest.raises(pytest.UsageError, match="take derandomize out of tests/x.py::fixed"):
        pytest_collection_modifyitems(None, [item("fresh", fresh), item("fixed", fixed)])
