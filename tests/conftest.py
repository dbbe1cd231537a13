"""Shared test configuration. Service fixtures (PostgreSQL, OpenSearch, SMTP, Chromium) live in tests/services.py."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["tests.services"]

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "cpv_classifier"


@pytest.fixture(scope="session")
def cpv_classifier():
    """The trained CPV model that ships in models/cpv_classifier, loaded once for the session."""
    from nlp.classify import CpvClassifier

    return CpvClassifier.from_path(MODEL_DIR)
