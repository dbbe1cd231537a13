"""Fixtures for the matcher tests: the trained CPV model that ships in models/cpv_classifier."""

from __future__ import annotations

from pathlib import Path

import pytest

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "cpv_classifier"


@pytest.fixture(scope="session")
def cpv_classifier():
    from matcher.classify import CpvClassifier

    return CpvClassifier.from_path(MODEL_DIR)
