"""Charts drawn server-side with pygal as SVG, shown as an <img> with a text alternative beside its data table.

The SVG is embedded as a data URI: the page needs no JavaScript, and pygal's own <style> lives inside the
image document rather than the page, whose Content-Security-Policy allows no inline styles. pygal's tooltip
script is switched off (``js=[]``): it would be fetched from another site.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from api.routes.staff.tables import Chart, decimal_sv

# Colours with at least 3:1 contrast against white (WCAG 1.4.11) and apart from each other for colour-blind eyes.
SERIES_COLOURS = ("#0b4f8a", "#b34700", "#1d6b35", "#6a1b9a", "#5c5c5c")
Series = Sequence[tuple[str, Sequence[float | None]]]


def _style() -> Any:
    from pygal.style import Style

    return Style(
        background="#ffffff", plot_background="#ffffff", foreground="#1b1b1b", foreground_strong="#1b1b1b",
        foreground_subtle="#4a4a4a", colors=SERIES_COLOURS, opacity="1", opacity_hover="1",
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        label_font_size=13, major_label_font_size=13, legend_font_size=14, title_font_size=17, value_font_size=12,
    )


def _percent(value: float | None) -> str:
    return "" if value is None else decimal_sv(value * 100, 0) + " %"


def _number(value: float | None) -> str:
    return "" if value is None else decimal_sv(value, 1)


def _short(label: str, limit: int = 34) -> str:
    # pygal does not shorten the category labels of horizontal charts; the table has the full text.
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _render(chart: Any, title: str) -> Chart:
    svg = chart.render(is_unicode=True)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = f"Diagram: {title}. Siffrorna finns i tabellen under diagrammet."
    return Chart(data_uri=f"data:image/svg+xml;base64,{encoded}", alt=alt)


def _config(title: str, percent: bool, height: int) -> dict[str, Any]:
    return {
        "title": title, "style": _style(), "js": [], "disable_xml_declaration": True, "width": 860,
        "height": height, "legend_at_bottom": True, "legend_at_bottom_columns": 2, "truncate_label": 34,
        "truncate_legend": -1, "print_values": False, "value_formatter": _percent if percent else _number,
        "range": (0, 1) if percent else None, "no_data_text": "Inga uppgifter",
    }


def bar_chart(title: str, labels: Sequence[str], series: Series, *, percent: bool = True,
              horizontal: bool = False) -> Chart:
    import pygal

    height = max(360, 110 + 26 * len(labels) * max(1, len(series))) if horizontal else 420
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = kind(**_config(title, percent, height))
    # pygal draws a horizontal chart's first category at the bottom; reversed, it reads top-down like the table.
    order = slice(None, None, -1) if horizontal else slice(None)
    chart.x_labels = [_short(label) for label in labels][order]
    for name, values in series:
        chart.add(name, list(values)[order])
    return _render(chart, title)


def line_chart(title: str, labels: Sequence[str], series: Series, *, percent: bool = True) -> Chart:
    import pygal

    chart = pygal.Line(**_config(title, percent, 420), allow_interruptions=True, dots_size=5)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart, title)
