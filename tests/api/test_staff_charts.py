"""Staff charts: the phone drawing is made for a phone's width with type that stays readable, long labels turn
the bars sideways, and the HTML legend's colours are the drawing's."""

from __future__ import annotations

import base64
import re
from pathlib import Path

from api.routes.staff.charts import DESKTOP, PHONE, SERIES_COLOURS, Image, render
from tenders.stats.tables import bar_chart

STAFF_CSS = Path(__file__).resolve().parents[2] / "api" / "static" / "staff.css"


def svg(image: Image) -> str:
    return base64.b64decode(image.data_uri.split(",", 1)[1]).decode("utf-8")


def test_each_chart_is_drawn_for_desktop_and_for_phone() -> None:
    chart = render(bar_chart("Ett anbud och SME-andel", ["Dalarna (annonser)", "Sverige (UHM)"],
                             [("Andel delområden med ett anbud", [0.2, 0.3]), ("SME-andel av vinnarna", [0.5, 0.6])]))
    assert (chart.desktop.width, chart.phone.width) == (DESKTOP.width, PHONE.width)
    phone = svg(chart.phone)
    assert f"font-size:{PHONE.label_px}px" in phone.replace(" ", "")
    # labels longer than fit under upright bars: the phone drawing lies the bars down (pygal's class name)
    assert "horizontalbar-graph" in phone and "horizontalbar-graph" not in svg(chart.desktop)
    assert chart.legend == ["Andel delområden med ett anbud", "SME-andel av vinnarna"]
    assert 'class="legends"' not in phone  # the legend is HTML under the image, where long names wrap


def test_legend_swatches_have_the_series_colours() -> None:
    swatches = dict(re.findall(r"\.swatch-(\d) \{ background: (#[0-9a-f]{6}); \}", STAFF_CSS.read_text()))
    assert [swatches[str(n)] for n in range(len(SERIES_COLOURS))] == list(SERIES_COLOURS)
