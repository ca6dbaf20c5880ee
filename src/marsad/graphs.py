"""Graph files for Gephi, Cytoscape and networkx: GEXF 1.3 and GraphML, written directly.

All labels and attribute values are XML-escaped (they come from untrusted articles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

_TYPES = {
    bool: ("boolean", "boolean"),
    int: ("integer", "long"),
    float: ("double", "double"),
    str: ("string", "string"),
}


@dataclass
class Graph:
    directed: bool = True
    nodes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # id, label, attrs
    edges: list[tuple[str, str, float, dict[str, Any]]] = field(default_factory=list)  # s, t, w


def _attr_types(items: list[dict[str, Any]]) -> dict[str, type]:
    kinds: dict[str, type] = {}
    for attrs in items:
        for key, value in attrs.items():
            if value is not None:
                kinds.setdefault(key, type(value) if type(value) in _TYPES else str)
    return kinds


def write_gexf(graph: Graph, out: TextIO) -> None:
    node_types = _attr_types([a for _, _, a in graph.nodes])
    edge_types = _attr_types([a for _, _, _, a in graph.edges])
    kind = "directed" if graph.directed else "undirected"
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gexf xmlns="http://gexf.net/1.3" version="1.3">\n'
        f'  <graph mode="static" defaultedgetype="{kind}">\n'
    )
    for cls, types in (("node", node_types), ("edge", edge_types)):
        out.write(f'    <attributes class="{cls}">\n')
        for i, (key, tp) in enumerate(types.items()):
            out.write(
                f'      <attribute id="{cls[0]}{i}" title={quoteattr(key)} '
                f'type="{_TYPES[tp][0]}"/>\n'
            )
        out.write("    </attributes>\n")
    out.write("    <nodes>\n")
    for node_id, label, attrs in graph.nodes:
        out.write(f"      <node id={quoteattr(node_id)} label={quoteattr(label)}>")
        out.write(_gexf_values("n", node_types, attrs) + "</node>\n")
    out.write("    </nodes>\n    <edges>\n")
    for i, (source, target, weight, attrs) in enumerate(graph.edges):
        out.write(
            f'      <edge id="{i}" source={quoteattr(source)} target={quoteattr(target)} '
            f'weight="{weight}">'
        )
        out.write(_gexf_values("e", edge_types, attrs) + "</edge>\n")
    out.write("    </edges>\n  </graph>\n</gexf>\n")


def _gexf_values(prefix: str, types: dict[str, type], attrs: dict[str, Any]) -> str:
    parts = [
        f'<attvalue for="{prefix}{i}" value={quoteattr(_text(attrs[key]))}/>'
        for i, key in enumerate(types)
        if attrs.get(key) is not None
    ]
    return f"<attvalues>{''.join(parts)}</attvalues>" if parts else ""


def write_graphml(graph: Graph, out: TextIO) -> None:
    node_types = _attr_types([a for _, _, a in graph.nodes])
    edge_types = {"weight": float, **_attr_types([a for _, _, _, a in graph.edges])}
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    )
    out.write('  <key id="label" for="node" attr.name="label" attr.type="string"/>\n')
    for cls, types in (("node", node_types), ("edge", edge_types)):
        for key, tp in types.items():
            out.write(
                f'  <key id={quoteattr(cls + "_" + key)} for="{cls}" '
                f'attr.name={quoteattr(key)} attr.type="{_TYPES[tp][1]}"/>\n'
            )
    kind = "directed" if graph.directed else "undirected"
    out.write(f'  <graph edgedefault="{kind}">\n')
    for node_id, label, attrs in graph.nodes:
        out.write(
            f"    <node id={quoteattr(node_id)}>"
            f'<data key="label">{escape(label)}</data>'
            + _graphml_values("node", node_types, attrs)
            + "</node>\n"
        )
    for source, target, weight, attrs in graph.edges:
        values = _graphml_values("edge", edge_types, {**attrs, "weight": weight})
        out.write(
            f"    <edge source={quoteattr(source)} target={quoteattr(target)}>{values}</edge>\n"
        )
    out.write("  </graph>\n</graphml>\n")


def _graphml_values(cls: str, types: dict[str, type], attrs: dict[str, Any]) -> str:
    return "".join(
        f"<data key={quoteattr(cls + '_' + key)}>{escape(_text(attrs[key]))}</data>"
        for key in types
        if attrs.get(key) is not None
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
