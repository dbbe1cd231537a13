"""Shared test configuration. Service fixtures (PostgreSQL, OpenSearch, SMTP, Chromium) live in tests/services.py."""

pytest_plugins = ["tests.services"]
