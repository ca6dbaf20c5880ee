"""Server-side SVG charts: no script, no external asset. Every label is escaped; with
``rtl`` the horizontal axis is mirrored (time runs right to left, labels start on the right).
Each page shows a table with the same numbers next to its chart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

WIDTH = 760
HEIGHT = 220
PAD = 36
MAX_BARS = 150  # longer series are summed into this many buckets
PALETTE = (
    "#1b6ca8",
    "#d1495b",
    "#edae49",
    "#00798c",
    "#8f5aa5",
    "#3b8b5d",
    "#c06c2b",
    "#5c6f7f",
    "#b83b7d",
    "#7a9a01",
)
OTHER_COLOUR = "#b9b9b9"
MAX_SERIES = len(PALETTE)


@dataclass(frozen=True)
class Frame:
    """A chart's box; ``x`` maps a left-to-right position to the drawn one."""

    width: int
    height: int
    rtl: bool

    def x(self, pos: float) -> float:
        return round(self.width - pos if self.rtl else pos, 1)

    @property
    def start_anchor(self) -> str:
        return "end" if self.rtl else "start"

    @property
    def end_anchor(self) -> str:
        return "start" if self.rtl else "end"


def _svg(frame: Frame, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {frame.width} {frame.height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, label: object, anchor: str = "middle", cls: str = "lbl") -> str:
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{cls}">{escape(label)}</text>'


def bucket(points: Sequence[tuple[str, int]], max_bars: int = MAX_BARS) -> list[tuple[str, int]]:
    """Sum consecutive points so that at most ``max_bars`` remain (labelled by their first)."""
    if len(points) <= max_bars:
        return list(points)
    size = -(-len(points) // max_bars)
    return [
        (points[k][0], sum(n for _, n in points[k : k + size])) for k in range(0, len(points), size)
    ]


def fill_days(points: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every day from the first to the last (zero where there is none), so that bars stand
    where their day is; points that are not ISO days are dropped."""
    counts: dict[date, int] = {}
    for day, n in points:
        try:
            counts[date.fromisoformat(day[:10])] = counts.get(date.fromisoformat(day[:10]), 0) + n
        except ValueError:
            continue
    if not counts:
        return []
    first, last = min(counts), max(counts)
    span = (last - first).days
    return [
        ((first + timedelta(days=k)).isoformat(), counts.get(first + timedelta(days=k), 0))
        for k in range(span + 1)
    ]


def timeline(points: Sequence[tuple[str, int]], title: str, rtl: bool) -> Markup:
    """Bars of a count per day (or per bucket of days), on a continuous time axis."""
    series = [(day, "", n) for day, n in bucket(fill_days(points))]
    return stacked_timeline(series, title, rtl, legend=False)


def stacked_timeline(
    rows: Sequence[tuple[str, str, int]], title: str, rtl: bool, legend: bool = True
) -> Markup:
    """Stacked bars: ``(day, series, count)`` rows; the largest series get their own colour,
    the rest are summed as "other"."""
    frame = Frame(WIDTH, HEIGHT + (40 if legend else 0), rtl)
    totals: dict[str, int] = defaultdict(int)
    for _, name, n in rows:
        totals[name] += n
    kept = [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    colours = {name: PALETTE[i] for i, name in enumerate(kept[:MAX_SERIES])}
    every_day = [day for day, _ in fill_days([(day, 0) for day, _, _ in rows])]
    size = max(1, -(-len(every_day) // MAX_BARS))
    start_of = {day: every_day[i - i % size] for i, day in enumerate(every_day)}
    days = every_day[::size]
    sums: dict[str, dict[str, int]] = {day: defaultdict(int) for day in days}
    for day, name, n in rows:
        if day[:10] in start_of and n:
            sums[start_of[day[:10]]][name] += n
    stacks = {day: list(sums[day].items()) for day in days}
    peak = max((sum(n for _, n in stack) for stack in stacks.values()), default=0) or 1
    plot_w, plot_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = plot_w / max(1, len(days))
    body = [
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" '
        'class="axis"/>'
    ]
    for i, day in enumerate(days):
        y = float(HEIGHT - PAD)
        for name, n in sorted(stacks[day], key=lambda s: s[0] not in colours):
            h = n / peak * plot_h
            y -= h
            left = PAD + i * step + step * 0.1
            x = frame.x(left + step * 0.8) if rtl else frame.x(left)
            colour = colours.get(name, OTHER_COLOUR)
            body.append(
                f'<rect x="{x}" y="{round(y, 1)}" width="{round(step * 0.8, 2)}" '
                f'height="{round(h, 1)}" fill="{colour}"><title>{escape(day)} '
                f"{escape(name)}: {n}</title></rect>"
            )
    if days:
        body.append(_text(frame.x(PAD), HEIGHT - PAD + 16, days[0], frame.start_anchor))
        body.append(_text(frame.x(WIDTH - PAD), HEIGHT - PAD + 16, days[-1], frame.end_anchor))
    body.append(_text(frame.x(PAD - 6), PAD + 4, peak, frame.end_anchor))
    if legend and kept:
        items = [*kept[:MAX_SERIES], *([""] if len(kept) > MAX_SERIES else [])]
        body += _legend(frame, items, colours, HEIGHT + 4)
    return _svg(frame, title, body)


def _legend(frame: Frame, names: list[str], colours: dict[str, str], top: float) -> list[str]:
    out = []
    per_row = 5
    width = (frame.width - 2 * PAD) / per_row
    for i, name in enumerate(names):
        left = PAD + (i % per_row) * width
        y = top + (i // per_row) * 16
        out.append(
            f'<rect x="{frame.x(left + 10) if frame.rtl else frame.x(left)}" y="{y}" '
            f'width="10" height="10" fill="{colours.get(name, OTHER_COLOUR)}"/>'
        )
        label = name[:28] if name else "…"
        out.append(_text(frame.x(left + 14), y + 9, label, frame.start_anchor, "legend"))
    return out


def hbars(items: Sequence[tuple[str, int]], title: str, rtl: bool) -> Markup:
    """Horizontal bars, one per labelled count (labels on the reading side)."""
    row_h = 22
    frame = Frame(WIDTH, max(row_h * len(items) + 10, 40), rtl)
    peak = max((n for _, n in items), default=0) or 1
    label_w = 220
    body = []
    for i, (label, n) in enumerate(items):
        y = 5 + i * row_h
        w = n / peak * (WIDTH - label_w - 70)
        body.append(_text(frame.x(label_w - 8), y + 15, label[:36], frame.end_anchor))
        x = frame.x(label_w + w) if rtl else frame.x(label_w)
        body.append(
            f'<rect x="{x}" y="{y + 3}" width="{round(w, 1)}" height="{row_h - 6}" '
            f'fill="{PALETTE[0]}"/>'
        )
        body.append(_text(frame.x(label_w + w + 6), y + 15, n, frame.start_anchor))
    return _svg(frame, title, body)


def share_bar(items: Sequence[tuple[str, int]], title: str, rtl: bool) -> Markup:
    """One bar split by share, with a legend (e.g. claims by source type)."""
    frame = Frame(WIDTH, 60 + 16 * (1 + len(items) // 5), rtl)
    total = sum(n for _, n in items) or 1
    colours = {label: PALETTE[i % len(PALETTE)] for i, (label, _) in enumerate(items)}
    body = []
    cursor = float(PAD)
    for label, n in items:
        w = n / total * (WIDTH - 2 * PAD)
        x = frame.x(cursor + w) if rtl else frame.x(cursor)
        share = round(100 * n / total, 1)
        body.append(
            f'<rect x="{x}" y="10" width="{round(w, 1)}" height="26" fill="{colours[label]}">'
            f"<title>{escape(label)}: {n} ({share}%)</title></rect>"
        )
        cursor += w
    body += _legend(frame, [label for label, _ in items], colours, 46)
    return _svg(frame, title, body)


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    sub: str  # second line: date or role
    href: str
    highlight: bool = False


def layers(nodes: Sequence[Node], edges: Sequence[tuple[str, str, str]]) -> dict[str, int]:
    """Generation of each node: 0 for a node nobody in the drawing was copied into it from
    (the origin), else one more than the deepest node it was copied from (longest path;
    a cycle stops growing after as many rounds as there are nodes)."""
    depth = {node.id: 0 for node in nodes}
    links = [(s, t) for s, t, _ in edges if s in depth and t in depth and s != t]
    for _ in range(len(nodes)):
        changed = False
        for source, target in links:
            if depth[target] < depth[source] + 1:
                depth[target] = depth[source] + 1
                changed = True
        if not changed:
            break
    return depth


def dag(
    nodes: Sequence[Node], edges: Sequence[tuple[str, str, str]], title: str, rtl: bool
) -> Markup:
    """A transmission graph over time: one column per generation (the origin first, at the
    reading start), each column in time order; ``edges`` are ``(source, target, label)``."""
    col_w, row_h, node_w, node_h = 230, 62, 150, 40
    depth = layers(nodes, edges)
    columns: dict[int, list[Node]] = defaultdict(list)
    for node in nodes:
        columns[depth[node.id]].append(node)
    rows = max((len(col) for col in columns.values()), default=1)
    width = max(WIDTH, PAD * 2 + len(columns) * col_w)
    frame = Frame(width, 20 + rows * row_h, rtl)
    place: dict[str, tuple[float, float]] = {}
    for level, members in columns.items():
        for i, node in enumerate(members):
            place[node.id] = (PAD + level * col_w + node_w / 2, 10 + i * row_h + node_h / 2)
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        'class="arrowhead"/></marker></defs>'
    ]
    half = node_w / 2
    for source, target, label in edges:
        if source not in place or target not in place:
            continue
        (x1, y1), (x2, y2) = place[source], place[target]
        if x1 == x2:  # same generation: a loop out to the side
            sx, tx = frame.x(x1 + half), frame.x(x2 + half)
            bend = frame.x(x1 + half + 40)
            path = f"M{sx},{y1} C{bend},{y1} {bend},{y2} {tx},{y2}"
            lx, ly = bend, (y1 + y2) / 2
        else:
            sx, tx = frame.x(x1 + half), frame.x(x2 - half)
            mid = (sx + tx) / 2
            path = f"M{sx},{y1} C{mid},{y1} {mid},{y2} {tx},{y2}"
            lx, ly = mid, (y1 + y2) / 2 - 5
        body.append(
            f'<path d="{path}" class="edge" marker-end="url(#arrow)">'
            f"<title>{escape(label)}</title></path>"
        )
        body.append(_text(round(lx, 1), round(ly, 1), label, cls="elbl"))
    for node in nodes:
        x, y = frame.x(place[node.id][0]), place[node.id][1]
        cls = "node origin" if node.highlight else "node"
        body.append(
            f'<a href="{escape(node.href)}"><rect x="{x - half}" y="{y - node_h / 2}" '
            f'width="{node_w}" height="{node_h}" rx="6" class="{cls}"/>'
            + _text(x, y - 3, node.label[:24])
            + _text(x, y + 13, node.sub, cls="sub")
            + "</a>"
        )
    return _svg(frame, title, body)


def outlet_graph(
    center: str,
    sources: Sequence[tuple[str, int, str]],
    targets: Sequence[tuple[str, int, str]],
    title: str,
    rtl: bool,
) -> Markup:
    """The outlet in the middle, outlets it copies on the reading-start side, outlets that copy
    it on the other; ``(name, edges, href)`` each, edge width by count."""
    shown = 8
    rows = max(len(sources[:shown]), len(targets[:shown]), 1)
    frame = Frame(WIDTH, 30 + rows * 34, rtl)
    mid_x, mid_y = WIDTH / 2, frame.height / 2
    peak = max([n for _, n, _ in [*sources, *targets]] or [1])
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" '
        'class="arrowhead"/></marker></defs>'
    ]
    for side, group in ((120.0, sources[:shown]), (WIDTH - 120.0, targets[:shown])):
        for i, (name, n, href) in enumerate(group):
            y = 20 + (i + 0.5) * (frame.height - 30) / max(1, len(group))
            x = frame.x(side)
            start, end = (x, frame.x(mid_x)) if side < mid_x else (frame.x(mid_x), x)
            y1, y2 = (y, mid_y) if side < mid_x else (mid_y, y)
            dx = 70 if start < end else -70
            width = round(1 + 5 * n / peak, 1)
            body.append(
                f'<line x1="{start + dx}" y1="{y1}" x2="{end - dx}" y2="{y2}" class="edge" '
                f'stroke-width="{width}" marker-end="url(#arrow)"><title>{escape(name)}: {n}'
                "</title></line>"
            )
            body.append(
                f'<a href="{escape(href)}"><rect x="{x - 66}" y="{y - 12}" width="132" '
                f'height="24" rx="5" class="node"/>{_text(x, y + 5, f"{name[:18]} ({n})")}</a>'
            )
    body.append(
        f'<rect x="{mid_x - 70}" y="{mid_y - 14}" width="140" height="28" rx="6" '
        f'class="node origin"/>{_text(mid_x, mid_y + 5, center[:20])}'
    )
    return _svg(frame, title, body)
