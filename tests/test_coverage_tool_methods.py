"""A tool made from a bound method (`StructuredTool.from_function(obj.run)`) has its instance's attributes
read by the coverage check, so an agent with ungated tools held there is named (red team 51)."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langchain_core.tools import StructuredTool
from pydantic import BaseModel
from test_coverage_agents_in_tools import _react, budget, pay

import graphs
from vfa import CoverageError
from vfa.testing import ScriptedModel

INNER = _react(ScriptedModel(script=[("pay", {"to": "mallory", "amount": 5000}), "done"]), [pay]).compile()


class Delegate:
    def __init__(self, agent: Any) -> None:
        self.agent = agent

    def run(self, task: str) -> str:
        """Delegate a task to the payments agent."""
        return str(self.agent.invoke({"messages": [HumanMessage(task)]}))

    def __call__(self, task: str) -> str:
        return str(self.agent.invoke({"messages": [HumanMessage(task)]}))


class Task(BaseModel):
    task: str


def _run_agent(agent: Any, task: str) -> str:
    return str(agent.invoke({"messages": [HumanMessage(task)]}))


def _tools() -> list[Any]:
    d = Delegate(INNER)
    return [
        StructuredTool.from_function(d.run, name="bound", description="Delegate a task."),
        StructuredTool(name="partial", description="Delegate a task.", args_schema=Task,
                       func=functools.partial(_run_agent, INNER)),
        StructuredTool(name="callable_obj", description="Delegate a task.", args_schema=Task, func=d),
    ]


@pytest.mark.parametrize("i", [0], ids=["bound_method"])  # (ToolNode itself refuses partials and callable objects)
def test_a_tool_function_form_running_an_unguarded_agent_is_named(i: int) -> None:
    t = _tools()[i]
    with pytest.raises(CoverageError):
        graphs.guard_graph(_react(ScriptedModel(script=["done"]), [t]), [budget])
