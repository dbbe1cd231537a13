"""Validation against the OCDS 1.1 JSON Schemas shipped in ``schema/`` (Draft 4, as the standard states).

The schemas refer to each other by their published URLs; a registry maps those URLs to the bundled files, so a
validation never reaches the network.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SCHEMA_FILES = (
    "release-schema.json",
    "release-package-schema.json",
    "record-package-schema.json",
    "versioned-release-validation-schema.json",
)


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    folder = resources.files("tenders.ocds") / "schema"
    return {name: json.loads((folder / name).read_text(encoding="utf-8")) for name in SCHEMA_FILES}


@cache
def _registry() -> Registry:
    resources_by_url = [(schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
                        for schema in _schemas().values()]
    return Registry().with_resources(resources_by_url)


def package_errors(package: dict[str, Any]) -> list[str]:
    """The schema errors of a release package or record package, each as 'path: message' ([] when valid)."""
    name = "record-package-schema.json" if "records" in package else "release-package-schema.json"
    validator = Draft4Validator(_schemas()[name], registry=_registry(), format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(package), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}" for error in errors]
