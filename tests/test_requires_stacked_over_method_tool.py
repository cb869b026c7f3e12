"""A precondition stacked over a LangChain tool made of one object's method adds to what the method's class
declares, as one stacked over any LangChain tool does (docs/kernel.md: "requires/ensures stacked over a LangChain tool
object add to what it declares"; a tool made of one object's method "carries its declarations itself").

`Bank.pay` declares `amount <= 100` where its class defines it (for every instance, as the ConfigError for a
bare bound method tells one to); a tool made of `bank.pay` declared `amount > 0` on top was refused at
`ToolSpec.of` with "its function and its coroutine declare preconditions differently" (the tool has no
coroutine, and declaring once, on the tool itself, is what was done): `_existing` read the tool's own
declarations only, and `_declaring` took the tool's and its method's for two declarations of one thing.
Before the change that made such a tool carry its own declarations, both guards judged the call.

What must hold: the tool is judged by both clauses, and its declared preconditions (what lint and the plan
checks read) hold both.

Fixed: guards._preconditions._existing also reads the method's declarations of a tool made of one object's
method, and vfa._lc_tools._declaring takes a declaration stacked on the other's (_adds_to); a real conflict
names the two places.
"""

from __future__ import annotations

from langchain_core.tools import StructuredTool

from guards import requires
from vfa import ToolSpec


class Bank:
    @requires("amount <= 100")
    def pay(self, amount: int) -> str:
        """Pay an amount."""
        return "paid"


def test_a_precondition_stacked_over_a_bound_method_tool_adds_to_its_class():
    tool = requires("amount > 0")(StructuredTool.from_function(Bank().pay))
    spec = ToolSpec.of(tool)
    clauses = sorted(c for p in spec.meta["preconditions"] for c in p.texts)
    assert clauses == ["amount <= 100", "amount > 0"], clauses
    assert len(spec.guards) == 2, spec.guards
    assert "preconditions" not in getattr(Bank.pay, "__vfa_meta__", {}) or \
        len(Bank.pay.__vfa_meta__["preconditions"]) == 1  # the class's function keeps its own, unchanged
