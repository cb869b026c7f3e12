"""Drawing a guarded graph with LangGraph's own drawing, the guard nodes marked.

Mermaid text always works offline. A PNG needs a local renderer (pygraphviz, or pyppeteer through
LangGraph's `draw_mermaid_png`); vfa never sends a graph to the mermaid.ink web service by itself.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from vfa import ConfigError

__all__ = ["draw_mermaid", "draw_png", "guard_node_ids"]

_STYLE = "classDef vfaGuard fill:#d7f5dd,stroke:#1a7f37,stroke-width:3px"


def _drawable(graph: Any) -> Any:
    """`graph`, refused (`TypeError`) unless it can be drawn (a compiled graph: `get_graph`)."""
    if not callable(getattr(graph, "get_graph", None)):
        raise TypeError(f"graph must be a compiled LangGraph graph (it has get_graph), not {type(graph).__name__}")
    return graph


def guard_node_ids(graph: Any, *, xray: bool | int = True) -> list[str]:
    """Ids of the nodes in `graph.get_graph(xray=...)` where tools or effects are verified."""
    drawn = _drawable(graph).get_graph(xray=xray)
    out = []
    for node_id, node in drawn.nodes.items():
        data = getattr(node, "data", None)
        own = getattr(data, "__dict__", None)
        if (node.metadata or {}).get("vfa") == "guard" or (isinstance(own, dict) and own.get("__vfa_mediated__")):
            out.append(node_id)
    return out


def draw_mermaid(graph: Any, *, xray: bool | int = True) -> str:
    """Mermaid text of the graph (subgraphs expanded), with guard nodes in the `vfaGuard` class."""
    text = _drawable(graph).get_graph(xray=xray).draw_mermaid()
    ids = [_safe_id(i) for i in guard_node_ids(graph, xray=xray)]
    if not ids:
        return text
    return text.rstrip("\n") + f"\n\t{_STYLE}\n\tclass {','.join(ids)} vfaGuard\n"


def draw_png(graph: Any, path: str | Path | None = None, *, xray: bool | int = True) -> bytes:
    """PNG of the graph drawn locally by pygraphviz, guard nodes labelled; written to `path` if given.

    Raises:
        ConfigError: pygraphviz is not installed (the message names the alternatives).
    """
    drawn = _drawable(graph).get_graph(xray=xray)
    for node_id in guard_node_ids(graph, xray=xray):
        node = drawn.nodes[node_id]
        drawn.nodes[node_id] = node.copy(name=f"{node.name} [vfa guard]") if hasattr(node, "copy") else node
    try:
        png = drawn.draw_png()
    except ImportError as exc:
        raise ConfigError(
            "drawing a PNG needs pygraphviz (pip install pygraphviz); or render draw_mermaid(graph) "
            "with any Mermaid tool, or use graph.get_graph().draw_mermaid_png(draw_method="
            "MermaidDrawMethod.PYPPETEER) with pyppeteer installed") from exc
    if path is not None:
        Path(path).write_bytes(png)
    return png


def _safe_id(node_id: str) -> str:
    try:  # the escaping LangGraph's drawing applies to ids, so the class line names the same nodes
        from langchain_core.runnables.graph_mermaid import _to_safe_id

        return _to_safe_id(node_id)
    except ImportError:
        return re.sub(r"[^a-zA-Z0-9_-]", "_", node_id)
