"""Health and readiness answers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class HealthPublic(BaseModel):
    status: str


class ReadinessPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"status": "ok", "checks": {"store": "ok", "index": "ok", "auth": "ok"},
                          "tenders": 1520, "indexed": 1520}]
        }
    )

    status: str  # "ok" or "fel"
    checks: dict[str, str]
    tenders: int | None = None
    indexed: int | None = None
