"""docker-compose.yml and .env.example agree with the Settings class (read as data: no Docker engine needed)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from dotenv import dotenv_values

from tenders.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "ANBUDSVAKT_"
APP_SERVICES = ("api", "scheduler")
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?::?[-?](?P<default>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return loaded


@pytest.fixture(scope="module")
def example() -> dict[str, str | None]:
    return dotenv_values(ROOT / ".env.example")


def setting_env_names() -> set[str]:
    return {PREFIX + name.upper() for name in Settings.model_fields}


def interpolate(value: str, variables: dict[str, str | None]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, with the values of .env.example."""

    def replace(match: re.Match[str]) -> str:
        known = variables.get(match["name"])
        if known is None and "?" in match.group(0):
            raise AssertionError(f"{match['name']} is required by docker-compose.yml but missing from .env.example")
        return known if known is not None else (match["default"] or "")

    return INTERPOLATION.sub(replace, value).replace("$$", "$")


def app_environment(compose: dict[str, Any], example: dict[str, str | None]) -> dict[str, str]:
    """What a container of the app sees: .env (the example) overridden by compose's environment."""
    service = compose["services"]["api"]
    wired = {key: interpolate(str(value), example) for key, value in service["environment"].items()}
    return {**{k: v or "" for k, v in example.items() if k.startswith(PREFIX)}, **wired}


def test_env_example_lists_exactly_the_settings(example: dict[str, str | None]) -> None:
    listed = {name for name in example if name.startswith(PREFIX)}
    assert listed == setting_env_names(), (
        f"missing from .env.example: {sorted(setting_env_names() - listed)}; "
        f"not settings: {sorted(listed - setting_env_names())}"
    )


def test_env_example_values_are_the_defaults(example: dict[str, str | None]) -> None:
    # Copying the example must change nothing until someone edits it (the run command reads .env too).
    values = {name[len(PREFIX):].lower(): value for name, value in example.items() if name.startswith(PREFIX)}
    assert Settings(_env_file=None, **values).model_dump() == Settings(_env_file=None).model_dump()  # type: ignore[arg-type]


def test_compose_sets_only_real_settings(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        unknown = {key for key in service.get("environment", {}) if key.startswith(PREFIX)} - setting_env_names()
        assert not unknown, f"{name} sets {sorted(unknown)}, which tenders/settings.py does not define"


def test_every_compose_variable_is_in_env_example(compose: dict[str, Any], example: dict[str, str | None]) -> None:
    used = set(INTERPOLATION.findall((ROOT / "docker-compose.yml").read_text(encoding="utf-8")))
    names = {name for name, _ in used}
    assert names <= set(example), f"not in .env.example: {sorted(names - set(example))}"


def test_app_services_share_one_configuration(compose: dict[str, Any]) -> None:
    api, scheduler = (compose["services"][name] for name in APP_SERVICES)
    for key in ("image", "environment", "env_file", "volumes", "depends_on"):
        assert api[key] == scheduler[key], key
    for dependency in ("postgres", "opensearch"):
        assert api["depends_on"][dependency]["condition"] == "service_healthy"
    # migrations are a step of their own: one container runs them, the others wait for it to finish
    assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert compose["services"]["migrate"]["command"] == ["anbudsvakt", "db", "upgrade"]
    assert compose["services"]["migrate"]["environment"] == api["environment"]


def test_every_service_has_a_health_check(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) >= {"api", "scheduler", "postgres", "opensearch", "mailpit"}
    for name, service in compose["services"].items():
        if service.get("restart") == "no":
            continue  # a one-shot job (migrate) is done when it exits: its exit status is its health
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_app_settings_point_at_the_compose_services(compose: dict[str, Any], example: dict[str, str | None]) -> None:
    environment = app_environment(compose, example)
    values = {key[len(PREFIX):].lower(): value for key, value in environment.items()}
    # production refuses the placeholder (and anything under 32 bytes), as it should
    values["secret_key"] = "a-real-secret-for-this-test-of-32-bytes-or-more"
    settings = Settings(_env_file=None, **values)  # type: ignore[arg-type]
    services = compose["services"]
    assert settings.environment == "production"
    assert settings.index_backend == "opensearch"

    database = urlsplit(settings.sqlalchemy_url)
    postgres = {k: interpolate(str(v), example) for k, v in services["postgres"]["environment"].items()}
    assert database.scheme == "postgresql+psycopg"
    assert (database.hostname, database.username, database.password, database.path.lstrip("/")) == (
        "postgres", postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"], postgres["POSTGRES_DB"])

    search = urlsplit(settings.opensearch_url)
    opensearch = {k: interpolate(str(v), example) for k, v in services["opensearch"]["environment"].items()}
    assert (search.hostname, search.port) == ("opensearch", 9200)
    assert settings.opensearch_user == "admin"
    assert settings.opensearch_password.get_secret_value() == opensearch["OPENSEARCH_INITIAL_ADMIN_PASSWORD"]
    if opensearch.get("plugins.security.ssl.http.enabled") == "false":
        assert search.scheme == "http"


def test_placeholder_secret_is_refused_by_the_compose_configuration(
    compose: dict[str, Any], example: dict[str, str | None]
) -> None:
    environment = app_environment(compose, example)
    values = {key[len(PREFIX):].lower(): value for key, value in environment.items()}
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(_env_file=None, **values)  # type: ignore[arg-type]
