"""The source health page on a store of example notices: crawls are paused on purpose then (they refuse to mix
real notices with examples), so the page says so instead of raising a red alarm for every source."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_principal
from tenders.demo import demo_tenders
from tests.api.test_staff_dashboard import STAFF, build_data_dir


def sources_page(data_dir: Path, with_examples: bool) -> str:
    settings = build_data_dir(data_dir, demo_tenders(count=5) if with_examples else ())
    app = create_app(settings)
    app.dependency_overrides[get_principal] = lambda: STAFF
    with TestClient(app) as client:
        return client.get("/personal/kallor").text


def test_with_example_notices_the_sources_are_paused_not_alarming(tmp_path: Path) -> None:
    page = sources_page(tmp_path / "data", with_examples=True)
    assert "Hämtningarna är pausade" in page and "anbudsvakt load --remove-demo" in page
    assert "Pausad" in page and "har aldrig körts" not in page and "status-alarm" not in page


def test_without_example_notices_a_source_that_never_ran_is_an_alarm(tmp_path: Path) -> None:
    page = sources_page(tmp_path / "data", with_examples=False)
    assert "Hämtningarna är pausade" not in page
    assert "TED (EU:s annonsdatabas) har aldrig körts." in page and "status-alarm" in page
