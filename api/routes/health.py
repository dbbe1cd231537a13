"""Liveness (the process answers) and readiness (store and index answer) for load balancers and monitoring."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import IndexDep, ResourcesDep, StoreDep
from api.schemas.health import HealthPublic, ReadinessPublic

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", response_model=HealthPublic)
def health() -> HealthPublic:
    return HealthPublic(status="ok")


@router.get("/ready", response_model=ReadinessPublic, responses={503: {"model": ReadinessPublic}})
def ready(store: StoreDep, index: IndexDep, resources: ResourcesDep) -> JSONResponse:
    checks: dict[str, str] = {}
    counts: dict[str, int] = {}
    for name, probe in (("store", store.count_tenders), ("index", index.count)):
        try:
            counts[name] = probe()
            checks[name] = "ok"
        except Exception as err:  # readiness reports any failure instead of raising it
            checks[name] = f"fel: {type(err).__name__}: {err}".splitlines()[0][:200]
    try:
        with resources.auth_engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["auth"] = "ok"
    except Exception as err:
        checks["auth"] = f"fel: {type(err).__name__}"
    ok = all(value == "ok" for value in checks.values())
    body = ReadinessPublic(status="ok" if ok else "fel", checks=checks, tenders=counts.get("store"),
                           indexed=counts.get("index"))
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
