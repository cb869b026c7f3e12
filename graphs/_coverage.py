"""The coverage check for retrofitted graphs: which nodes can still run a tool outside the guards.

The kernel's check (`vfa.unmediated_nodes`) finds nodes that reach a declared `vfa.Effect`. A graph
you retrofit has plain LangChain tools, so this check runs the kernel's walker (`vfa._coverage`)
with a policy that also treats every tool as an effect unless it is listed `read_only`, and
reports, by node name:

- a `ToolNode` with no gate installed (fix: `guard_graph`);
- a node of your own whose code (a function, a bound method, a `functools.partial`, a callable
  object, or a same-module helper they call) holds a LangChain tool, the function behind one, or a
  compiled graph with unguarded nodes — so it can call `tool.invoke(...)` or `tool.func(...)` with
  no proposal and no verification (fix: `effect_nodes` or `guard_tool`);
- a node whose code cannot be read (C code, say), so what it calls cannot be checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.tools import BaseTool

from vfa import CoverageError, GuardNode, ToolSpec
from vfa._coverage import Policy, effect_of, tool_nodes, walk  # the one walker, the kernel's
from vfa._tools import name_list

from ._gate import GatedTool, ToolGate

__all__ = ["check_coverage", "unmediated_nodes"]

_FIX = (
    "fix: let the model propose the call so a ToolNode runs it (graphs.guard_graph gates every ToolNode); "
    "or name the node in guard_graph(..., effect_nodes=[...]) so each of its runs is verified and committed; "
    "or call the tool through graphs.guard_tool(tool, gate=...); a tool that changes nothing may be listed "
    "in read_only=[...]"
)


def check_coverage(graph: Any, *, read_only: Sequence[str] = (), flow: Any = None, gate: ToolGate | None = None) -> None:
    """Raise `vfa.CoverageError` naming every node that can run a tool or effect without the guards.

    With the gate's `flow`, a read-only tool whose results the flow labels (private or untrusted) counts
    as a tool too: read outside the gate, its result would reach the model unlabelled. With the graph's
    `gate` (as `guard_graph` checks), a tool a node calls through another gate (`guard_tool`) counts as the
    tool itself: its calls would pass that gate alone, never the graph's guards."""
    found = unmediated_nodes(graph, read_only=read_only, flow=flow, gate=gate)
    if found:
        lines = [f"  - node {node!r}: {why}" for node, why in found]
        raise CoverageError("these nodes can run a tool or an effect without the guards:\n" + "\n".join(lines)
                            + "\n" + _FIX, nodes=tuple(dict.fromkeys(node for node, _ in found)))


def unmediated_nodes(graph: Any, *, read_only: Sequence[str] = (), flow: Any = None,
                     gate: ToolGate | None = None) -> list[tuple[str, str]]:
    """(node path, reason) for every node that reaches a tool or an effect outside a gate or guard node.

    With `gate`, outside that gate: see `check_coverage`."""
    return walk(graph, _Tools(frozenset(name_list(read_only, "read_only")), graph, flow, gate))


_UNKNOWN = object()


def _flow_of(gate: Any) -> Any:
    """The flow of a gate the walk meets (a `GuardMiddleware`, a `ToolGate`, a tool node `guard_graph` gated,
    a guard node); `_UNKNOWN` for any other (fail closed: it is no gate of the graph's flow)."""
    own = getattr(gate, "__dict__", None)
    own = own if isinstance(own, dict) else {}
    gate = own.get("_vfa_gate") or own.get("gate") or gate  # read from the object's own: a GatedTool forwards
    node = getattr(gate, "node", None) if isinstance(gate, ToolGate) else gate
    return node.flow if isinstance(node, GuardNode) else _UNKNOWN


class _Tools(Policy):
    """The kernel's policy (every `vfa.Effect`), plus every LangChain tool not listed read-only (or whose
    results the flow labels)."""

    noun = "tools"

    def __init__(self, read_only: frozenset[str], graph: Any, flow: Any = None, gate: Any = None) -> None:
        self.read_only = read_only
        self.flow = flow
        self.gate = gate
        self.functions: dict[int, Any] = {}  # id(function behind a tool in a ToolNode) -> the tool
        for tools in tool_nodes(graph):
            for t in tools.values():
                for f in (getattr(t, "func", None), getattr(t, "coroutine", None)):
                    for _ in range(8):  # the function under each of its decorators
                        if f is None:
                            break
                        self.functions[id(f)] = t
                        f = getattr(f, "__wrapped__", None)

    def mediated(self, obj: Any) -> bool:
        if not super().mediated(obj):
            return False
        if self.gate is not None and isinstance(obj, GatedTool) and obj.gate is not self.gate:
            # gated by another gate (a `guard_tool` of its own): its calls pass that gate's guards alone, ordered
            # by that gate's lock, never the graph's (as an effect node or a subgraph another gate guarded)
            return self._free(obj.tool)
        # a tool gated by a gate that lacks the graph's flow: what it shows the model is not labelled
        if self.flow is not None and isinstance(obj, GatedTool) and obj.gate.node.flow is not self.flow:
            return not self.labelled(obj.tool)
        return True

    def gated_tools(self, tools: dict[str, Any], gates: list[Any]) -> str | None:
        # a gate without the graph's flow (another agent's `GuardMiddleware`): what the tools it gates show
        # the model is not labelled by this flow, as for a `GatedTool` of such a gate (`mediated`)
        if self.flow is None or all(_flow_of(g) is self.flow for g in gates):
            return None
        names = sorted(n for n, t in tools.items() if self.labelled(t))
        return (f"an agent whose tools {', '.join(names)} are gated by a gate without the graph's flow, so what "
                "they show its model is not labelled by it; guard both agents with one gate (or one flow)") if names else None

    def labelled(self, tool: Any) -> bool:
        """Whether the flow labels the tool's results (a flow that cannot say labels them all)."""
        labels = getattr(self.flow, "labels_output", None)
        try:
            return labels is None or bool(labels(ToolSpec.of(tool)))
        except Exception:  # noqa: BLE001 - a tool the flow cannot read is labelled
            return True

    def _free(self, tool: Any) -> bool:
        """Whether a node may run the tool itself: it changes nothing, and no flow labels its results (a
        flow that cannot say labels them all: fail closed)."""
        if tool.name not in self.read_only:
            return False
        return self.flow is None or not self.labelled(tool)

    def _why(self, tool: Any, what: str, where: str) -> str:
        if tool.name in self.read_only:  # read-only, but its results are labelled: read outside the gate, they are not
            return (f"holds {what} {tool.name!r} {where}, so it can run it outside the gate: it is read-only, but the "
                    "flow labels its results, and one read outside the gate reaches the model unlabelled")
        return f"holds {what} {tool.name!r} {where}, so it can run it outside any ToolNode, with no verification"

    def value(self, v: Any, where: str) -> str | None:
        why = super().value(v, where)  # an effect, read-only or not
        if why is not None:
            return why
        if isinstance(v, GatedTool):  # gated by another gate, or another flow's (`mediated`): the tool itself
            if self.gate is not None and v.gate is not self.gate and not self._free(v.tool):
                return (f"holds the tool {v.tool.name!r} {where} gated by another gate, so its calls pass that gate's "
                        "guards alone, never the graph's; call it through the graph's own gate "
                        "(guard_tool(tool, gate=...), guard_graph(..., gate=gate))")
            v = v.tool
        if isinstance(v, BaseTool):
            return None if self._free(v) else self._why(v, "the tool", where)
        tool = self.functions.get(id(v))
        if tool is not None and not self._free(tool):
            return self._why(tool, "the function of tool", where)
        return None

    def tool_node(self, tools: dict[str, Any]) -> str | None:
        names = sorted(n for n, t in tools.items() if not self._free(t) or effect_of(t) is not None)
        return f"a ToolNode that runs the tools {', '.join(names)} with no vfa gate" if names else None

    def known(self, fn: Any) -> bool:
        return id(fn) in self.functions  # a tool's own function: `value` answers for it

    def for_graph(self, graph: Any) -> Policy:
        return _Tools(self.read_only, graph, self.flow, self.gate)

    def unreadable(self, path: str, fn: Any) -> str:
        return super().unreadable(path, fn) + ", or name the node in effect_nodes"
