"""Shared fixtures: paths to the seeds, hand-written pages and sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """Seed pages by their short number: {"000": text, ...}."""
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seed_ids() -> dict[str, str]:
    return {p.name[:3]: p.stem for p in sorted(SEEDS.glob("*.txt"))}
