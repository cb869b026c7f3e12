"""Red team 71: a question whose arguments cannot be written as JSON crashed the graph.

`vfa._escalation.payload` now shows `json_value(proposal.args)`; `json_value` reads a tool's own type by
its attributes, recursively, and a tree that knows its parent (an outline, a DOM) is a cycle: it raises
RecursionError out of `Questions.ask`, through the guard node, out of `invoke`. The question is now
asked with each argument shown by its (shortened) repr, and nothing runs until the person answers.
"""

from __future__ import annotations

import json
from typing import Any

from langgraph.types import Command
from langgraph.checkpoint.memory import InMemorySaver
from pydantic_core import core_schema

from vfa import Agent, Escalate, effect, guard
from vfa.testing import ScriptedModel


class Outline:
    """An outline whose items know their parent."""

    def __init__(self, text: str, parent: Outline | None = None) -> None:
        self.text, self.parent, self.children = text, parent, []

    @classmethod
    def build(cls, v: dict) -> Outline:
        root = cls(v.get("text", ""))
        for c in v.get("children", []):
            child = cls.build(c)
            child.parent = root
            root.children.append(child)
        return root

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(cls.build, core_schema.dict_schema())


@guard
def confirm(proposal, context):
    return Escalate(question="post it?")


DONE: list = []


@effect
def post_outline(outline: Outline) -> str:
    """Post an outline."""
    DONE.append(outline.text)
    return "posted"


def test_an_unwritable_question_is_asked_with_reprs_and_the_run_goes_on() -> None:
    app = Agent(ScriptedModel([[("post_outline", {"outline": {"text": "a", "children": [{"text": "b"}]}})], "end"]),
                [post_outline], [confirm]).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [("user", "post my outline")]}, cfg)
    (question,) = out["__interrupt__"]
    assert DONE == [] and isinstance(question.value["args"]["outline"], str)
    json.dumps(question.value)  # a client can read it
    app.invoke(Command(resume={"type": "reject"}), cfg)
    assert DONE == []
