"""Scripted-model rules turn by turn: the calls a test names under the ids it names, and where a rule stands."""

from __future__ import annotations

import copy
import json
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage


def by_turn(*turns: Any, then: str = "done") -> Any:
    """A `ScriptedModel` rule: on the model's n-th turn, the calls `turns[n]` (one `(tool, args, id)` or a
    list of them); on a turn given as None, or past the last, the answer `then`."""

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        step = turns[turn] if turn < len(turns) else None
        if step is None:
            return then
        calls = [step] if isinstance(step, tuple) else step
        # fresh arguments each time, as a model writes them anew: a test's constant is never shared
        return AIMessage("", tool_calls=[{"name": name, "args": copy.deepcopy(args), "id": call_id}
                                         for name, args, call_id in calls])

    return rule


def by_step(steps: list[Any]) -> Any:
    """A `ScriptedModel` rule: on the model's n-th turn, `steps[n]` (a call, or a function of the tool messages
    so far giving one); past the last, "done"."""

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn >= len(steps):
            return "done"
        step = steps[turn]
        return step([m for m in messages if isinstance(m, ToolMessage)]) if callable(step) else step

    return rule


def parsed(content: Any) -> Any:
    """A tool message's content read as JSON where it is JSON, else as it is."""
    try:
        return json.loads(content)
    except (TypeError, ValueError):
        return content


def by_observation(steps: list[Any]) -> Any:
    """`by_step`, but a step given as a function gets what the tool messages so far said, each read by `parsed`."""

    def rule(messages: list[Any]) -> Any:
        turn = sum(isinstance(m, AIMessage) for m in messages)
        if turn >= len(steps):
            return "done"
        step = steps[turn]
        return step([parsed(m.content) for m in messages if isinstance(m, ToolMessage)]) if callable(step) else step

    return rule


def turn_and_last(messages: list[Any]) -> tuple[int, str]:
    """How many turns the model has taken, and the text of the last tool message ("" before any)."""
    tools = [m for m in messages if isinstance(m, ToolMessage)]
    return sum(isinstance(m, AIMessage) for m in messages), str(tools[-1].content) if tools else ""
