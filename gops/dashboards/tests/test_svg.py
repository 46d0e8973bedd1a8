import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gops.dashboards import svg

NS = {"s": "http://www.w3.org/2000/svg"}
CHARTS = [svg.bar_chart, svg.hbar_chart, svg.line_chart]


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def two_series():
    return [
        svg.Series("Wnioski", [("01.2025", 3), ("02.2025", 0), ("03.2025", 12)]),
        svg.Series("Decyzje", [("01.2025", 1), ("02.2025", 4), ("03.2025", 7)]),
    ]


@pytest.mark.parametrize("chart", CHARTS)
def test_a_chart_is_well_formed_svg_named_by_its_title_and_description(chart):
    root = parse(
        chart(
            chart_id="c-1",
            title="Wnioski i decyzje",
            desc="Liczby są w tabeli poniżej.",
            data=two_series(),
            reference=svg.Reference("norma", 50),
        )
    )
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title = root.find("s:title", NS)
    desc = root.find("s:desc", NS)
    assert title.text == "Wnioski i decyzje"
    assert desc.text == "Liczby są w tabeli poniżej."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = "".join(root.itertext())
    assert "Wnioski" in texts
    assert "Decyzje" in texts
    assert "norma: 50" in texts


@pytest.mark.parametrize("chart", CHARTS)
def test_text_is_escaped(chart):
    markup = chart(
        chart_id="x",
        title='<script>alert("x")</script> & co',
        desc="a < b",
        data=[("Kowalska & <Nowak>", 5)],
    )
    root = parse(markup)
    assert "<script>" not in markup
    assert root.find("s:title", NS).text == '<script>alert("x")</script> & co'


def test_series_differ_by_pattern_not_colour_alone():
    root = parse(svg.bar_chart(chart_id="p", title="t", desc="d", data=two_series()))
    fills = {rect.get("fill") for rect in root.iter("{http://www.w3.org/2000/svg}rect")}
    assert svg.COLOURS[0] in fills  # solid
    assert "url(#p-fill1)" in fills  # hatched
    assert root.find(".//s:pattern[@id='p-fill1']", NS) is not None


def test_colours_have_three_to_one_contrast_on_white():
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in (*svg.COLOURS, svg.GRID, svg.TEXT, svg.REFERENCE):
        assert (1.05) / (luminance(colour) + 0.05) >= 3, colour


def test_an_empty_chart_is_still_well_formed():
    for chart in CHARTS:
        parse(chart(chart_id="e", title="t", desc="d", data=[]))


def test_a_bad_id_is_refused():
    with pytest.raises(ValueError, match="not a valid id"):
        svg.bar_chart(chart_id='a" onload="x', title="t", desc="d", data=[])


@given(
    st.lists(
        st.tuples(st.text(max_size=30), st.integers(min_value=0, max_value=10**7)),
        max_size=15,
    )
)
def test_any_data_gives_well_formed_svg(points):
    # XML 1.0 cannot carry most control characters at all: labels are people's text.
    points = [("".join(c for c in label if c.isprintable()), value) for label, value in points]
    for chart in CHARTS:
        parse(chart(chart_id="h", title="t", desc="d", data=points))


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**9), places=2),
    st.booleans(),
)
def test_the_scale_holds_the_maximum_in_round_steps(maximum, integer):
    top, step = svg.nice_scale(maximum, integer=integer)
    assert top >= maximum
    assert top / step <= 11
