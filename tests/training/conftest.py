"""Fixtures for the training tests: the small Quick, Draw! fixture folder and a private cache."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "quickdraw"
FIXTURE_CATEGORIES = ["ant", "The Eiffel Tower", "smiley face"]


@pytest.fixture
def fixture_dir() -> Path:
    return FIXTURES


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway DOODLEAI_CACHE (prepared arrays, runs) for tests that write to the cache."""
    path = tmp_path / "cache"
    monkeypatch.setenv("DOODLEAI_CACHE", str(path))
    return path
