"""graphs: vfa guard nodes in LangGraph graphs you already have, and ready-made guarded shapes."""

from ._coverage import check_coverage as check_coverage, unmediated_nodes as unmediated_nodes
from ._draw import draw_mermaid as draw_mermaid, draw_png as draw_png, guard_node_ids as guard_node_ids
from ._gate import GatedTool as GatedTool, ToolGate as ToolGate
from ._middleware import GuardMiddleware as GuardMiddleware
from ._retrofit import (
    ArgumentsNotApplied as ArgumentsNotApplied,
    EffectNode as EffectNode,
    EffectNodeFailed as EffectNodeFailed,
    guard_graph as guard_graph, guard_tool_node as guard_tool_node,
)
from ._tools import as_effect as as_effect, guard_tool as guard_tool
from .plan_execute import plan_execute as plan_execute

__all__ = [
    "ArgumentsNotApplied", "EffectNode", "EffectNodeFailed", "GatedTool", "GuardMiddleware", "ToolGate", "as_effect", "check_coverage", "draw_mermaid",
    "draw_png", "guard_graph", "guard_node_ids", "guard_tool", "guard_tool_node", "plan_execute", "unmediated_nodes",
]

for _name in __all__:  # tracebacks and reprs say graphs.X, not graphs._module.X
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj):
        try:
            _obj.__module__ = __name__
        except (AttributeError, TypeError):
            pass
del _name, _obj
