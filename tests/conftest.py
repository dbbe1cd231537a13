"""Shared test configuration. Service fixtures (PostgreSQL, OpenSearch, SMTP, Chromium) live in tests/services.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.classify import CpvClassifier

pytest_plugins = ["tests.services"]

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "cpv_classifier"


@pytest.fixture(scope="session")
def cpv_classifier():
    """The trained CPV model that ships in models/cpv_classifier, loaded once for the session."""
    return CpvClassifier.from_path(MODEL_DIR)
