"""Fixtures for the verification tests (helpers live in verify_helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from verify_helpers import MODEL, load_drawings


@pytest.fixture(scope="session")
def drawings() -> list[dict]:
    return load_drawings()


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.skip(f"{MODEL} does not exist yet (train and export the model first)")
    return MODEL
