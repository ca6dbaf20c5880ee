"""Pure parts of the web layer: text segments, word diffs, paging bounds, ids, SVG charts."""

from __future__ import annotations

from xml.etree import ElementTree

from marsad.web import charts, views
from marsad.web.render import Links, file_key


def test_segments_cut_at_every_boundary() -> None:
    text = "أ ب ت ث ج ح خ"
    claims = [{"id": "c1", "start": 0, "end": 5}]
    passages = [{"id": 7, "start": 2, "end": 9}]
    pieces = views.segments(text, claims, passages)
    assert "".join(p["text"] for p in pieces) == text
    assert [(p["text"], p["claims"], p["passages"]) for p in pieces] == [
        ("أ ", ["c1"], []),
        ("ب ت", ["c1"], [7]),
        (" ث ج", [], [7]),
        (" ح خ", [], []),
    ]
    assert pieces[1]["anchors"] == [7]


def test_word_diff() -> None:
    ops = views.word_diff("قال الوزير إن المياه مقطوعة", "أكد الوزير أن المياه مقطوعة تماماً")
    assert ("delete", "قال") in ops and ("insert", "أكد") in ops
    assert ("insert", "تماماً") in ops and ("equal", "المياه مقطوعة") in ops


def test_paging_and_ids_are_bounded() -> None:
    assert views.paging(0, 10**6) == views.Paging(1, views.MAX_PER_PAGE)
    assert views.paging(10**9, None).page == views.MAX_PAGE
    assert views.valid_id("0ddf6ede5f73-0-1066") and views.valid_id("abc:h1")
    for bad in ("../etc/passwd", "a/b", "", "x" * 200, "a b", "%2e%2e"):
        assert not views.valid_id(bad)
    assert views.clean_day("2025-09-01") == "2025-09-01" and views.clean_day("yesterday") is None


def test_static_links_are_relative_files() -> None:
    links = Links(static=True, depth=1)
    assert links.view("article", "abc") == "../article/abc.html"
    assert links.view("isnad_list", page=3) == "../isnad-3.html"
    assert links.view("outlet", "صدى الشرق").startswith("../outlet/x")
    assert file_key("../x") != "../x" and "/" not in file_key("a/b")
    assert Links().view("outlet", "a/b") == "/outlet/a%2Fb"


def test_charts_escape_labels_and_mirror_in_rtl() -> None:
    hostile = '<script>alert(1)</script>"'
    ltr = charts.hbars([(hostile, 3), ("ب", 1)], "t", rtl=False)
    rtl = charts.hbars([(hostile, 3), ("ب", 1)], "t", rtl=True)
    assert "<script>" not in ltr
    for svg in (ltr, rtl):
        ElementTree.fromstring(str(svg))  # well-formed
    # the labels sit at the reading start: the left in LTR, the right in RTL
    x_ltr = ElementTree.fromstring(str(ltr)).find("{http://www.w3.org/2000/svg}text")
    x_rtl = ElementTree.fromstring(str(rtl)).find("{http://www.w3.org/2000/svg}text")
    assert x_ltr is not None and x_rtl is not None
    assert float(x_ltr.get("x", 0)) < charts.WIDTH / 2 < float(x_rtl.get("x", 0))
    timeline = charts.stacked_timeline(
        [("2025-09-01", "أ", 2), ("2025-09-02", hostile, 1)], "t", True
    )
    ElementTree.fromstring(str(timeline))
    nodes = [charts.Node("a", "أ", "d1", "/article/a", True), charts.Node("b", hostile, "d2", "/x")]
    graph = charts.dag(nodes, [("a", "b", "credit · 2h")], "t", True)
    assert "<script>" not in str(graph) and charts.layers(nodes, [("a", "b", "")]) == {
        "a": 0,
        "b": 1,
    }
    ElementTree.fromstring(str(graph))


def test_bucket_keeps_totals() -> None:
    points = [(f"d{i:03}", 1) for i in range(400)]
    buckets = charts.bucket(points, 100)
    assert len(buckets) <= 100 and sum(n for _, n in buckets) == 400


def test_time_axis_is_continuous_and_bucketed() -> None:
    filled = charts.fill_days([("2025-09-01", 2), ("2025-09-04T10:00:00", 1), ("bad", 5)])
    assert filled == [("2025-09-01", 2), ("2025-09-02", 0), ("2025-09-03", 0), ("2025-09-04", 1)]
    rows = [(f"2024-{m:02}-{d:02}", "أ", 1) for m in range(1, 13) for d in range(1, 29)]
    svg = str(charts.stacked_timeline(rows, "t", rtl=True))
    assert svg.count("<rect") <= charts.MAX_BARS + charts.MAX_SERIES + 1
