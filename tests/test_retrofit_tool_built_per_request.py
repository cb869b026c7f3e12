"""Red team 105: a run-time tool built per request (LangChain's dynamic-tools pattern) crashed the run on its second call.

Attack / scenario (honest app): a `create_agent` app registers a tool at run time, as LangChain
documents: a `wrap_model_call` middleware adds it to the model's tools and a `wrap_tool_call`
middleware, before `GuardMiddleware`, hands it on with `request.override(tool=...)`. The app builds
the tool per request (from a factory, as one does for a tool bound to the run's context); every
build is the same function, schema and privacy declaration. docs/existing-apps.md says such a tool "a later
middleware puts on the request at run time, by `override` ... is gated too".

Expected: each call of the tool is verified and runs (or is refused by a guard, as a call).

Observed: the first call runs; the second raises `ConfigError` out of `invoke`, failing the whole
run ("has the name of another tool ... rename one or give each its own ToolGate"), advice that does
not fit: there is one tool, built twice. The gate knows tools by object identity
(`ToolGate.register`), and keeps every wrapper built (`_gated`, keyed by `id(tool)`) alive.

Fixed: a tool of the name of one registered, of the same class and code, with the same description,
model-visible schema, declarations and guards, is that tool built again (`graphs._gate._rebuilt`): it
is verified under the registered description and runs as built, and the gate keeps no wrapper of it
once its call is done. A different tool under a registered name is still refused (checked below).

Where: `graphs/_gate.py` `ToolGate.register` / `ToolGate.gated` / `_GatedRequest.__post_init__`.
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from langchain.agents import create_agent
from langchain.agents.middleware import wrap_model_call, wrap_tool_call
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy, privacy_source
from vfa import ConfigError
from vfa.testing import ScriptedModel


BUILT: list[Any] = []


def make_weather() -> Any:
    @privacy_source()
    def weather(city: str) -> str:
        """Today's weather in a city."""
        return f"sunny in {city}"

    built = StructuredTool.from_function(weather)
    BUILT.append(weakref.ref(built))
    return built


@wrap_model_call
def add_weather(request: Any, handler: Any) -> Any:
    return handler(request.override(tools=[*request.tools, make_weather()]))


@wrap_tool_call
def run_weather(request: Any, handler: Any) -> Any:
    if request.tool_call["name"] == "weather":
        return handler(request.override(tool=make_weather()))
    return handler(request)


def test_a_per_request_runtime_tool_runs_on_every_call():
    def rule(ms: list[Any]) -> Any:
        n = sum(m.type == "tool" for m in ms)
        if n < 2:
            return AIMessage("", tool_calls=[{"name": "weather", "id": f"w{n}", "args": {"city": "Oslo"}}])
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt105")
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["weather"])
    app = create_agent(ScriptedModel(rule=rule), [], middleware=[add_weather, run_weather, mw],
                       checkpointer=InMemorySaver())
    try:
        out = app.invoke({"messages": [HumanMessage("Weather in Oslo, twice please")]},
                         {"configurable": {"thread_id": "t"}})
    except ConfigError as exc:
        pytest.fail(f"the run crashed on the tool's second call: {exc}")
    shown = [m.content for m in out["messages"] if isinstance(m, ToolMessage)]
    assert shown == ["sunny in Oslo", "sunny in Oslo"]
    gc.collect()
    assert sum(ref() is not None for ref in BUILT) <= 1, "the gate keeps every build of the tool alive"


def test_another_tool_under_a_registered_name_is_still_refused():
    @privacy_source()
    def weather(city: str) -> str:
        """Today's weather in a city."""
        return f"rain in {city}"  # another function: another tool, whatever its name

    other = StructuredTool.from_function(weather)

    @wrap_tool_call
    def swap(request: Any, handler: Any) -> Any:
        n = int(request.tool_call["id"][1:])
        return handler(request.override(tool=make_weather() if n == 0 else other))

    def rule(ms: list[Any]) -> Any:
        n = sum(m.type == "tool" for m in ms)
        return AIMessage("", tool_calls=[{"name": "weather", "id": f"w{n}", "args": {"city": "Oslo"}}]) if n < 2 else "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt105")
    mw = GuardMiddleware([flow.guard()], flow=flow, read_only=["weather"])
    app = create_agent(ScriptedModel(rule=rule), [], middleware=[add_weather, swap, mw], checkpointer=InMemorySaver())
    with pytest.raises(ConfigError, match="has the name of another tool"):
        app.invoke({"messages": [HumanMessage("Weather in Oslo, twice please")]}, {"configurable": {"thread_id": "t"}})
