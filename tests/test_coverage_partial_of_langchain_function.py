"""The coverage check reads what a partial binds, even into LangChain's own function.

Fixed: `RunnableLambda(functools.partial(BaseTool.invoke, pay))` passed the check: a partial whose
function was LangChain's was skipped whole, its bound tool unread.
"""

from __future__ import annotations

import functools
from typing import Any, TypedDict

from _mediation import assert_refused_or_pays_nothing, one_node, pay
from langchain_core.runnables import RunnableLambda
from langchain_core.tools import BaseTool

import graphs


class Order(TypedDict):
    to: str
    amount: int
    out: Any


def _builder():
    return one_node("pay_order", RunnableLambda(functools.partial(BaseTool.invoke, pay)) | (lambda r: {"out": r}),
                    Order)


def test_partial_of_langchain_function_holding_a_tool_is_named() -> None:
    """Expected: the node is named: the partial holds `pay` and runs it outside any gate."""
    assert graphs.unmediated_nodes(_builder()) != []


def test_guard_graph_refuses_it() -> None:
    """Expected: `guard_graph` raises CoverageError rather than returning a graph that pays 5000 past the
    budget guard."""
    assert_refused_or_pays_nothing(_builder(), {"to": "mallory", "amount": 5000, "out": None})
