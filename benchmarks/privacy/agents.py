"""Deterministic agents: an honest one that does the user's task, and one that obeys every instruction
it reads in a tool output (the worst case for prompt injection).

Both are `ScriptedModel` rules: each reply is recomputed from the conversation alone (one tool call
per turn), so a thread replayed after an interrupt gets the same replies.
"""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, ToolMessage

from guards._audit import _parse  # one reader of tool-message text, shared with the audit
from vfa.testing import ScriptedModel

from .attacks import BY_ID
from .tasks import Task

_TAG = re.compile(r"\[\[inj:([a-z0-9_]+)\]\]")


def _build(step: tuple[str, Any], obs: dict[int, Any]) -> tuple[str, dict[str, Any]] | None:
    tool, args = step
    if callable(args):
        try:
            args = args(obs)
        except Exception:  # an earlier step was denied or returned something else: skip this one
            return None
        if args is None:
            return None
    return tool, args


class _Plan:
    """Replays the agent's decisions over a conversation to find its next call."""

    def __init__(self, task: Task, obey: bool) -> None:
        self.task, self.obey = task, obey
        self.obs: dict[int, Any] = {}
        self.inj_obs: dict[str, dict[int, Any]] = {}
        self.queue: list[tuple[str, int]] = []
        self.obeyed: set[str] = set()
        self.next_step = 0

    def decide(self) -> tuple[tuple[str, Any], tuple[str, dict[str, Any]]] | None:
        while self.queue:
            inj, k = self.queue.pop(0)
            steps = BY_ID[inj].steps
            if k + 1 < len(steps):
                self.queue.insert(0, (inj, k + 1))
            call = _build(steps[k], self.inj_obs.setdefault(inj, {}))
            if call is not None:
                return (inj, k), call
        while self.next_step < len(self.task.steps):
            k = self.next_step
            self.next_step += 1
            call = _build(self.task.steps[k], self.obs)
            if call is not None:
                return ("task", k), call
        return None

    def seen(self, who: tuple[str, int], content: Any) -> None:
        value = _parse(content)
        origin, k = who
        (self.obs if origin == "task" else self.inj_obs.setdefault(origin, {}))[k] = value
        if self.obey and isinstance(content, str):
            for inj in _TAG.findall(content):
                if inj in BY_ID and inj not in self.obeyed:
                    self.obeyed.add(inj)
                    self.queue.insert(0, (inj, 0))


def rule_for(task: Task, *, obey: bool) -> Any:
    """The reply rule of an agent doing `task`; with `obey`, it also obeys injected instructions."""

    def rule(messages: list[BaseMessage]) -> Any:
        plan = _Plan(task, obey)
        results = {m.tool_call_id: m.content for m in messages if isinstance(m, ToolMessage)}
        for m in messages:
            if isinstance(m, AIMessage) and m.tool_calls:
                decision = plan.decide()
                if decision is None:
                    break
                plan.seen(decision[0], results.get(m.tool_calls[0]["id"], ""))
        decision = plan.decide()
        return "done" if decision is None else decision[1]

    return rule


def agent_model(task: Task, *, obey: bool) -> ScriptedModel:
    """A scripted chat model running `rule_for(task, obey=obey)`."""
    return ScriptedModel(rule=rule_for(task, obey=obey))
