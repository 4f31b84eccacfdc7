"""pytest and Hypothesis configuration; helpers live in ``builders`` and ``strategies``."""

from __future__ import annotations

import os

import pytest
from builders import new_twap
from hypothesis import settings

from execution_group import ExecutionGroup

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def pending_twap() -> ExecutionGroup:
    return new_twap(target_quantity="100.0")
