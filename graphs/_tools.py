"""Tool-level guarding: LangChain tools as vfa effects, for code that calls tools from its own nodes.

`as_effect(tool)` declares a tool an effect: its function refuses to run outside a commit, and the
coverage checks (the kernel's and `graphs.check_coverage`) flag any node that could call it
directly. `guard_tool(tool, guards)` gives the mediated way to call it from your own code: a
`GatedTool` whose `invoke` verifies the call and commits it once through the journal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool, Tool

from vfa import ConfigError, Effect, EffectJournal, ToolSpec
from vfa import Flow

from ._gate import GatedTool, ToolGate, shared_gate

__all__ = ["as_effect", "guard_tool"]


def as_effect(tool: Any, *, idempotent: bool = False) -> BaseTool:
    """A copy of a LangChain tool (`@tool`, `StructuredTool`, `Tool`) that runs only inside a commit.

    The copy keeps the tool's name, schema and injected arguments; calling it outside a vfa commit
    raises `UnmediatedEffectError`. Give it to a `ToolNode` in a graph you `guard_graph`, to an
    agent with `GuardMiddleware`, or call it through `guard_tool`.

    Args:
        idempotent: running it twice equals running it once, so a commit interrupted by a crash is
            run again on resume instead of being escalated to a person.

    Raises:
        ConfigError: the tool is a `BaseTool` subclass with its own `_run`; check `vfa.in_commit(self.name)`
            there instead.
    """
    if not isinstance(tool, (StructuredTool, Tool)):
        raise ConfigError(
            f"as_effect needs a tool made with @tool, StructuredTool or Tool, not {type(tool).__name__}: "
            f"in a BaseTool subclass, raise unless vfa.in_commit(self.name) at the top of _run")
    update: dict[str, Any] = {}
    for attr in ("func", "coroutine"):
        fn = getattr(tool, attr, None)
        if fn is not None and not isinstance(fn, Effect):
            update[attr] = Effect(fn, name=tool.name, description=tool.description, idempotent=idempotent)
    return tool.model_copy(update=update) if update else tool


def guard_tool(
    tool: Any,
    guards: Sequence[Any] = (),
    *,
    gate: ToolGate | None = None,
    journal: EffectJournal | str | None = None,
    world: Any = None,
    flow: Flow | None = None,
    read_only: bool = False,
    timeout_s: float = 1.0,
) -> GatedTool:
    """The mediated way to call a tool from your own node: `invoke` verifies, then commits once.

    Invoke it with a tool call (`{"name", "args", "id", "type": "tool_call"}`) to get a
    `ToolMessage` whose call id is the commit's idempotency key (with the run's thread id), or with
    plain arguments to get the tool's result (in a graph task, a call id the task gives again when it runs
    again, so the journal answers it; elsewhere a fresh one each time). A denial is a value: the
    error `ToolMessage` naming the guard, the reason and the evidence.

    Args:
        gate: share a `ToolGate` (its guards and journal), e.g. the one a guarded graph uses;
            otherwise one is made from `guards`, `journal`, `world`, `flow` and `timeout_s` (any of them but
            `timeout_s`, or `read_only`, given beside `gate` is a `ConfigError`: it would be dropped).
        read_only: the tool changes nothing: verified, but not write-ahead journaled.

    Raises:
        ConfigError: `gate` already has a different tool of the same name.
    """
    if not isinstance(getattr(tool, "name", None), str):  # a plain function, or None: no tool to describe
        raise TypeError(f"guard_tool takes a LangChain tool (`@tool`) or an `@effect`, not {type(tool).__name__}: "
                        "make a function one with langchain_core.tools.tool(fn)")
    if isinstance(tool, Effect):
        # the gate runs a LangChain tool (`invoke`, `ainvoke`): the effect made one under its own name, an async one
        # as its coroutine (taken for a sync function, its call would hand back a coroutine, the effect unrun)
        made = {"coroutine": tool} if tool.is_async else {"func": tool}
        try:
            tool = StructuredTool.from_function(**made, name=tool.name, description=tool.description)
        except NameError as exc:
            ToolSpec.of(tool)  # an argument's type that cannot be read: refused naming the argument
            # LangChain (and a ToolNode, for injected arguments) reads every annotation, the return type too
            raise ConfigError(f"effect {tool.name!r} cannot be made a LangChain tool: LangChain reads every type "
                              f"it declares, its return type too, and {exc} (a type imported under TYPE_CHECKING "
                              "only): import it at run time, or give the effect to a vfa `Agent`, which reads "
                              "its arguments' types alone") from exc
    if read_only.__class__ is not bool:  # read by truth: "no" would run an effect without its write-ahead record
        raise TypeError(f"guard_tool's read_only must be True or False, not {type(read_only).__name__} {read_only!r:.60}")
    if gate is None:
        gate = ToolGate(guards, journal=journal, world=world, flow=flow, timeout_s=timeout_s,
                        read_only=[tool.name] if read_only else [])
    else:
        gate = shared_gate(gate, guards=guards or None, journal=journal, world=world, flow=flow,
                           read_only=read_only or None)
    return gate.gated(tool)
