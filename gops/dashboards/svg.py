"""Charts as inline SVG, rendered on the server: no JavaScript, no external library.

Pure Python (no Django): a chart is built from lists of (label, value) and returned as SVG
markup with every text escaped. Each chart is an image with a name and a description
(``role="img"``, ``aria-labelledby`` pointing to its ``<title>`` and ``<desc>``); the page
shows the same numbers in a table right after it.

Series differ by more than colour: solid, hatched and dotted fills (bars), solid, dashed and
dotted lines with round, square and diamond markers (lines). Every colour has a contrast of
at least 3:1 against the white background (WCAG 2.1 SC 1.4.11); each bar has an outline in its
series colour, so a hatched bar keeps its edge.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from xml.sax.saxutils import escape

WHITE = "#ffffff"
TEXT = "#1b1b1b"  # 17.4:1 on white
GRID = "#767676"  # 4.5:1 on white
# Blue 8.6:1, brown 6.6:1, green 6.5:1 on white.
COLOURS = ("#0b4f8a", "#8a4b00", "#1d6b2f")
FILLS = ("solid", "hatch", "dots")
DASHES = ("", "8 4", "2 3")
MARKERS = ("circle", "square", "diamond")
REFERENCE = "#1b1b1b"
FONT = 'font-family="system-ui, sans-serif"'

# Counts and złoty amounts; money stays Decimal here too, geometry is computed in Decimal.
Number = Decimal | int

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Series:
    """One named series of a chart: its points in order."""

    name: str
    points: Sequence[tuple[str, Number]]


@dataclass(frozen=True)
class Reference:
    """A reference value drawn across the chart (the norm, the plan) with its label."""

    label: str
    value: Number


def plain(value: Number) -> str:
    """The default label of a value: an integer without decimals, otherwise two places."""
    value = Decimal(value)
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


def _attr(text: str) -> str:
    return escape(str(text), {'"': "&quot;"})


def _text(text: str) -> str:
    return escape(str(text))


def _n(value: Decimal | int) -> str:
    """A coordinate, short."""
    return f"{Decimal(value):.1f}".rstrip("0").rstrip(".")


def _ceil(value: Decimal) -> Decimal:
    return value.to_integral_value(rounding=ROUND_CEILING)


def nice_scale(
    maximum: Number, *, ticks: int = 4, integer: bool = False
) -> tuple[Decimal, Decimal]:
    """(top, step) of an axis from 0 that holds `maximum` in about `ticks` round steps.

    Decimal throughout: exact steps, so no tolerance is needed at the top.
    """
    maximum = Decimal(maximum)
    if maximum <= 0 or not maximum.is_finite():
        return (Decimal(ticks), Decimal(1)) if integer else (Decimal(1), Decimal("0.25"))
    raw = maximum / ticks
    exponent = Decimal(10) ** raw.adjusted()  # the power of ten at or below raw
    step = next(m * exponent for m in (1, 2, Decimal("2.5"), 5, 10) if m * exponent >= raw)
    if integer:
        step = max(Decimal(1), _ceil(step))
    return _ceil(maximum / step) * step, step


def _as_series(data) -> list[Series]:
    if not data:
        return []
    if isinstance(data[0], Series):
        return list(data)
    return [Series(name="", points=list(data))]


def _open(chart_id: str, title: str, desc: str, width: int, height: int) -> list[str]:
    if not _ID.match(chart_id):
        raise ValueError(f"not a valid id: {chart_id!r}")
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        # Scaled down on narrow screens by gops.css (svg.chart): no style attribute, which
        # the Content-Security-Policy (style-src 'self') would block.
        f'preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{_text(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{WHITE}"/>',
    ]


def _patterns(chart_id: str, count: int) -> list[str]:
    parts = ["<defs>"]
    for index in range(count):
        colour = COLOURS[index % len(COLOURS)]
        fill = FILLS[index % len(FILLS)]
        pid = f"{chart_id}-fill{index}"
        if fill == "hatch":
            parts.append(
                f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{WHITE}"/>'
                f'<rect width="3" height="6" fill="{colour}"/></pattern>'
            )
        elif fill == "dots":
            parts.append(
                f'<pattern id="{pid}" width="5" height="5" patternUnits="userSpaceOnUse">'
                f'<rect width="5" height="5" fill="{WHITE}"/>'
                f'<circle cx="2.5" cy="2.5" r="1.6" fill="{colour}"/></pattern>'
            )
    parts.append("</defs>")
    return parts


def _fill(chart_id: str, index: int) -> str:
    if FILLS[index % len(FILLS)] == "solid":
        return COLOURS[index % len(COLOURS)]
    return f"url(#{chart_id}-fill{index})"


def _legend(chart_id: str, series: list[Series], x: int, y: int, *, lines=False) -> list[str]:
    """Swatches with the series' names (and the reference's), left to right."""
    parts = ['<g class="legend">']
    for index, item in enumerate(series):
        if not item.name:
            continue
        colour = COLOURS[index % len(COLOURS)]
        if lines:
            dash = DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x + 22)}" y2="{_n(y - 4)}" '
                f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
            parts.append(_marker(index, x + 11, y - 4))
        else:
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(y - 11)}" width="22" height="12" '
                f'fill="{_fill(chart_id, index)}" stroke="{colour}" stroke-width="1.5"/>'
            )
        parts.append(
            f'<text x="{_n(x + 28)}" y="{_n(y)}" font-size="12" fill="{TEXT}" {FONT}>'
            f"{_text(item.name)}</text>"
        )
        x += 40 + 7 * len(item.name)
    parts.append("</g>")
    return parts


def _marker(index: int, x: Decimal | int, y: Decimal | int) -> str:
    colour = COLOURS[index % len(COLOURS)]
    shape = MARKERS[index % len(MARKERS)]
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" fill="{colour}"/>'
    return (
        f'<polygon points="{_n(x)},{_n(y - 5)} {_n(x + 5)},{_n(y)} {_n(x)},{_n(y + 5)} '
        f'{_n(x - 5)},{_n(y)}" fill="{colour}"/>'
    )


def _reference_h(ref: Reference, left: int, right: int, y: Decimal, fmt) -> list[str]:
    return [
        f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="{REFERENCE}" '
        'stroke-width="2" stroke-dasharray="10 4"/>',
        f'<text x="{_n(right)}" y="{_n(y - 5)}" font-size="12" text-anchor="end" '
        f'fill="{TEXT}" {FONT}>{_text(ref.label)}: {_text(fmt(ref.value))}</text>',
    ]


def _y_axis(left, right, top, bottom, scale_top, step, fmt) -> list[str]:
    parts = []
    value = Decimal(0)
    while value <= scale_top:
        y = bottom - (bottom - top) * (value / scale_top)
        parts.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="{GRID}" '
            f'stroke-width="{1 if value else 1.5}" stroke-opacity="{0.35 if value else 1}"/>'
        )
        parts.append(
            f'<text x="{_n(left - 6)}" y="{_n(y + 4)}" font-size="11" text-anchor="end" '
            f'fill="{TEXT}" {FONT}>{_text(fmt(value))}</text>'
        )
        value += step
    return parts


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    data: Sequence[Series] | Sequence[tuple[str, Number]],
    reference: Reference | None = None,
    value_format: Callable[[Number], str] = plain,
    show_values: bool = True,
    integer: bool = True,
    width: int = 640,
    height: int = 280,
) -> str:
    """Vertical bars, grouped by label when there are several series."""
    series = _as_series(data)
    labels = [label for label, _value in series[0].points] if series else []
    values = [Decimal(v) for s in series for _label, v in s.points]
    if reference is not None:
        values.append(Decimal(reference.value))
    scale_top, step = nice_scale(max(values, default=0), integer=integer)
    left, right, top, bottom = 64, width - 12, 40, height - 36
    parts = _open(chart_id, title, desc, width, height)
    parts += _patterns(chart_id, len(series))
    parts += _legend(chart_id, series, left, 18)
    parts += _y_axis(left, right, top, bottom, scale_top, step, value_format)
    groups = max(len(labels), 1)
    group_w = Decimal(right - left) / groups
    bar_w = group_w * Decimal("0.8") / max(len(series), 1)
    for g, label in enumerate(labels):
        gx = left + g * group_w + group_w * Decimal("0.1")
        for index, item in enumerate(series):
            value = Decimal(item.points[g][1])
            h = (bottom - top) * (value / scale_top) if scale_top else 0
            x = gx + index * bar_w
            name = f"{item.name}, " if item.name else ""
            parts.append(
                f'<rect x="{_n(x)}" y="{_n(bottom - h)}" width="{_n(max(bar_w - 2, 1))}" '
                f'height="{_n(h)}" fill="{_fill(chart_id, index)}" '
                f'stroke="{COLOURS[index % len(COLOURS)]}" stroke-width="1.5">'
                f"<title>{_text(name)}{_text(label)}: {_text(value_format(value))}</title></rect>"
            )
            if show_values:
                parts.append(
                    f'<text x="{_n(x + (bar_w - 2) / 2)}" y="{_n(bottom - h - 3)}" '
                    f'font-size="10" text-anchor="middle" fill="{TEXT}" {FONT}>'
                    f"{_text(value_format(value))}</text>"
                )
        parts.append(
            f'<text x="{_n(left + g * group_w + group_w / 2)}" y="{_n(bottom + 16)}" '
            f'font-size="{11 if group_w >= 60 else 10}" text-anchor="middle" fill="{TEXT}" '
            f"{FONT}>{_text(label)}</text>"
        )
    if reference is not None:
        y = bottom - (bottom - top) * (Decimal(reference.value) / scale_top)
        parts += _reference_h(reference, left, right, y, value_format)
    parts.append("</svg>")
    return "".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def hbar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    data: Sequence[Series] | Sequence[tuple[str, Number]],
    reference: Reference | None = None,
    value_format: Callable[[Number], str] = plain,
    integer: bool = True,
    width: int = 640,
    row_height: int = 26,
    label_chars: int = 24,
) -> str:
    """Horizontal bars, one row per label (workers, facilities), values at the bars' ends."""
    series = _as_series(data)
    labels = [label for label, _value in series[0].points] if series else []
    values = [Decimal(v) for s in series for _label, v in s.points]
    if reference is not None:
        values.append(Decimal(reference.value))
    scale_top, step = nice_scale(max(values, default=0), integer=integer)
    left, right, top = 200, width - 56, 44
    bottom = top + max(len(labels), 1) * row_height
    height = bottom + 28
    parts = _open(chart_id, title, desc, width, height)
    parts += _patterns(chart_id, len(series))
    parts += _legend(chart_id, series, left, 18)
    value = Decimal(0)
    while value <= scale_top:
        x = left + (right - left) * (value / scale_top)
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(top)}" x2="{_n(x)}" y2="{_n(bottom)}" stroke="{GRID}" '
            f'stroke-opacity="{0.35 if value else 1}"/>'
        )
        parts.append(
            f'<text x="{_n(x)}" y="{_n(bottom + 16)}" font-size="11" text-anchor="middle" '
            f'fill="{TEXT}" {FONT}>{_text(value_format(value))}</text>'
        )
        value += step
    bar_h = Decimal(row_height - 6) / max(len(series), 1)
    for r, label in enumerate(labels):
        y0 = top + r * row_height + 3
        parts.append(
            f'<text x="{_n(left - 8)}" y="{_n(y0 + row_height // 2 + 1)}" font-size="12" '
            f'text-anchor="end" fill="{TEXT}" {FONT}>{_text(_shorten(label, label_chars))}</text>'
        )
        for index, item in enumerate(series):
            value = Decimal(item.points[r][1])
            w = (right - left) * (value / scale_top) if scale_top else 0
            y = y0 + index * bar_h
            name = f"{item.name}, " if item.name else ""
            parts.append(
                f'<rect x="{_n(left)}" y="{_n(y)}" width="{_n(w)}" height="{_n(bar_h - 1)}" '
                f'fill="{_fill(chart_id, index)}" stroke="{COLOURS[index % len(COLOURS)]}" '
                f'stroke-width="1.5"><title>{_text(name)}{_text(label)}: '
                f"{_text(value_format(value))}</title></rect>"
            )
            parts.append(
                f'<text x="{_n(left + w + 4)}" y="{_n(y + bar_h / 2 + 3)}" font-size="11" '
                f'fill="{TEXT}" {FONT}>{_text(value_format(value))}</text>'
            )
    if reference is not None:
        x = left + (right - left) * (Decimal(reference.value) / scale_top)
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(top - 6)}" x2="{_n(x)}" y2="{_n(bottom)}" '
            f'stroke="{REFERENCE}" stroke-width="2" stroke-dasharray="10 4"/>'
        )
        parts.append(
            f'<text x="{_n(x)}" y="{_n(top - 10)}" font-size="12" text-anchor="middle" '
            f'fill="{TEXT}" {FONT}>{_text(reference.label)}: '
            f"{_text(value_format(reference.value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    data: Sequence[Series] | Sequence[tuple[str, Number]],
    reference: Reference | None = None,
    value_format: Callable[[Number], str] = plain,
    integer: bool = False,
    width: int = 640,
    height: int = 280,
) -> str:
    """Lines through the points of each series, with markers; a reference line across."""
    series = _as_series(data)
    labels = [label for label, _value in series[0].points] if series else []
    values = [Decimal(v) for s in series for _label, v in s.points]
    if reference is not None:
        values.append(Decimal(reference.value))
    scale_top, step = nice_scale(max(values, default=0), integer=integer)
    left, right, top, bottom = 84, width - 16, 40, height - 36
    parts = _open(chart_id, title, desc, width, height)
    parts += _legend(chart_id, series, left, 18, lines=True)
    parts += _y_axis(left, right, top, bottom, scale_top, step, value_format)
    count = max(len(labels), 1)
    slot = Decimal(right - left) / count

    def x_of(i: int) -> Decimal:
        return left + slot * i + slot / 2

    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{_n(x_of(i))}" y="{_n(bottom + 16)}" font-size="11" text-anchor="middle" '
            f'fill="{TEXT}" {FONT}>{_text(label)}</text>'
        )
    if reference is not None:
        y = bottom - (bottom - top) * (Decimal(reference.value) / scale_top)
        parts += _reference_h(reference, left, right, y, value_format)
    for index, item in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        points = [
            (x_of(i), bottom - (bottom - top) * (Decimal(v) / scale_top))
            for i, (_label, v) in enumerate(item.points)
        ]
        if points:
            parts.append(
                f'<polyline points="{" ".join(f"{_n(x)},{_n(y)}" for x, y in points)}" '
                f'fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
            )
        for (x, y), (label, v) in zip(points, item.points, strict=True):
            marker = _marker(index, x, y)
            name = f"{item.name}, " if item.name else ""
            tip = f"<title>{_text(name)}{_text(label)}: {_text(value_format(v))}</title>"
            parts.append(marker.replace("/>", f">{tip}</{marker[1 : marker.index(' ')]}>", 1))
    parts.append("</svg>")
    return "".join(parts)
