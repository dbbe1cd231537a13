"""Charts drawn server-side with pygal as SVG, shown as an <img> with a text alternative beside its data table.

The SVG is embedded as a data URI: the page needs no JavaScript, and pygal's own <style> lives inside the
image document rather than the page, whose Content-Security-Policy allows no inline styles. pygal's tooltip
script is switched off (``js=[]``): it would be fetched from another site.

An SVG scales as a whole, text included, so one 860-wide drawing shrunk onto a 340 px phone screen has 5 px
labels. Each chart is therefore drawn twice: for desktop, and for phone at about the width it is shown at
(``PHONE``), with larger type, fewer value ticks, shorter category labels and bars turned sideways when their
labels would not fit under them. The page picks one with ``<picture>``. The legend is HTML under the image, not
part of the drawing: pygal places it after the category labels' margin and cuts long series names there, while
HTML text wraps and keeps the page's own type size.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import pygal
from pygal.style import Style

from tenders.stats.tables import ChartSpec, decimal_sv

# Colours with at least 3:1 contrast against white (WCAG 1.4.11) and apart from each other for colour-blind eyes.
SERIES_COLOURS = ("#0b4f8a", "#b34700", "#1d6b35", "#6a1b9a", "#5c5c5c")
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# Below the width where the pages' layout gets its second column (style.css) the desktop drawing would be shrunk
# under 12 px type, so the phone drawing is shown, at its own width.
PHONE_MEDIA = "(max-width: 52rem)"


@dataclass(frozen=True)
class Layout:
    """How big to draw: the width in CSS px the chart is shown at, and type sizes at that width."""

    width: int
    label_px: int
    title_px: int
    label_chars: int  # category labels longer than this are shortened; the table has the full text
    max_ticks: int  # value-axis ticks at most: more would run into each other at this width
    bar_px: int  # height per bar of a horizontal chart


# A phone's content column is 288–358 px (320–390 px screens less the page's margins): 14 px type drawn 340 wide
# stays at 12 px or more down to the narrowest.
DESKTOP = Layout(width=860, label_px=13, title_px=17, label_chars=34, max_ticks=16, bar_px=26)
PHONE = Layout(width=340, label_px=14, title_px=15, label_chars=18, max_ticks=5, bar_px=24)
UPRIGHT_LABEL_CHARS = 8  # on a phone, longer category labels do not fit under upright bars


@dataclass(frozen=True)
class Image:
    data_uri: str
    width: int
    height: int


@dataclass(frozen=True)
class Chart:
    """A rendered chart: the desktop and phone drawings and the text alternative they share."""

    desktop: Image
    phone: Image
    alt: str
    legend: list[str]  # series names; the n-th is drawn in SERIES_COLOURS[n] (staff.css: .swatch-n)
    phone_media: str = PHONE_MEDIA


def _style(layout: Layout) -> Style:
    return Style(
        background="#ffffff", plot_background="#ffffff", foreground="#1b1b1b", foreground_strong="#1b1b1b",
        foreground_subtle="#4a4a4a", colors=SERIES_COLOURS, opacity="1", opacity_hover="1", font_family=FONT_FAMILY,
        label_font_size=layout.label_px, major_label_font_size=layout.label_px,
        title_font_size=layout.title_px, value_font_size=layout.label_px - 1,
    )


def _percent(value: float | None) -> str:
    return "" if value is None else decimal_sv(value * 100, 0) + " %"


def _number(value: float | None) -> str:
    return "" if value is None else decimal_sv(value, 1)


def _short(label: str, limit: int) -> str:
    # pygal does not shorten the category labels of horizontal charts; the table has the full text.
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _config(spec: ChartSpec, layout: Layout, height: int, horizontal: bool) -> dict[str, Any]:
    # A horizontal chart's value axis shares the width with the category labels: half the ticks fit.
    ticks = max(3, layout.max_ticks // 2) if horizontal and layout is PHONE else layout.max_ticks
    return {
        "title": spec.title, "style": _style(layout), "js": [], "disable_xml_declaration": True,
        "width": layout.width, "height": height, "show_legend": False, "truncate_label": layout.label_chars,
        "max_scale": ticks, "print_values": False, "value_formatter": _percent if spec.percent else _number,
        "range": (0, 1) if spec.percent else None, "no_data_text": "Inga uppgifter",
        "margin": 12 if layout is PHONE else 20,
    }


def _horizontal(spec: ChartSpec, layout: Layout) -> bool:
    if spec.horizontal:
        return True
    longest = max((len(label) for label in spec.labels), default=0)
    return spec.kind == "bar" and layout is PHONE and longest > UPRIGHT_LABEL_CHARS


def _height(spec: ChartSpec, layout: Layout, horizontal: bool) -> int:
    if horizontal:
        return max(260, 90 + layout.bar_px * len(spec.labels) * max(1, len(spec.series)))
    return 380 if layout is DESKTOP else 300


def _draw(spec: ChartSpec, layout: Layout) -> Image:
    horizontal = _horizontal(spec, layout)
    height = _height(spec, layout, horizontal)
    if spec.kind == "line":
        chart = pygal.Line(**_config(spec, layout, height, horizontal), allow_interruptions=True, dots_size=5)
    else:
        chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(**_config(spec, layout, height, horizontal))
    # pygal draws a horizontal chart's first category at the bottom; reversed, it reads top-down like the table.
    order = slice(None, None, -1) if horizontal else slice(None)
    chart.x_labels = [_short(label, layout.label_chars) for label in spec.labels][order]
    for name, values in spec.series:
        chart.add(name, list(values)[order])
    svg = chart.render(is_unicode=True)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Image(f"data:image/svg+xml;base64,{encoded}", layout.width, height)


def render(spec: ChartSpec) -> Chart:
    alt = f"Diagram: {spec.title}. Siffrorna finns i tabellen under diagrammet."
    return Chart(desktop=_draw(spec, DESKTOP), phone=_draw(spec, PHONE), alt=alt,
                 legend=[name for name, _ in spec.series])
