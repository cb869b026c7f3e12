"""Red team 84: a `GatedTool` verifies `invoke`/`ainvoke` only; `batch`, `run`, `stream` (and the
rest of the LangChain tool API) run the tool with no guard at all.

Fault. `GatedTool.__getattr__` (graphs/_gate.py) forwards every attribute it does not define to the
wrapped tool, so `gated.batch(...)`, `gated.run(...)`, `gated.stream(...)`, `gated.abatch(...)`,
`gated.with_config(...).invoke(...)` are the raw tool's bound methods: they call the raw tool's own
`invoke`, never the gate. The object still says it is mediated (`__vfa_mediated__`), so the coverage
check (`graphs.check_coverage`) takes a node holding it for guarded and does not look further.

Why not a documented limit: `guard_tool` is documented as "the mediated way to call a tool from your
own node"; the README's coverage section lists what the static check cannot see, but not that a gated
tool's own public methods skip the gate. A LangChain tool's `batch`/`run`/`stream` are ordinary ways
to call it.

Expected: every way of running a gated tool goes through the gate (or refuses to run): with a guard
that denies everything, the tool never runs.
Fixed: `batch`, `abatch`, `stream`, `astream`, `run` and `arun` go through `invoke`/`ainvoke`; any other
method of the tool but those that describe it raises `UnmediatedEffectError`.
"""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.tools import tool

from graphs import guard_tool
from vfa import ALLOW, Deny, UnmediatedEffectError, guard


@pytest.mark.parametrize("how", ["invoke", "batch", "run", "stream", "abatch", "astream", "arun", "with_config"])
def test_no_entry_point_of_a_gated_tool_skips_its_guards(how: str) -> None:
    wired: list[tuple[str, int]] = []

    @tool
    def wire(to: str, amount: int) -> str:
        """Wire money."""
        wired.append((to, amount))
        return "wired"

    @guard
    def never(p, c):
        return Deny(reason="wires are not allowed")

    gated = guard_tool(wire, [never])
    args = {"to": "eve", "amount": 900}
    try:
        if how == "invoke":
            gated.invoke(args)
        elif how == "batch":
            gated.batch([args])
        elif how == "run":
            gated.run(args)
        elif how == "stream":
            list(gated.stream(args))
        elif how == "abatch":
            asyncio.run(gated.abatch([args]))
        elif how == "astream":
            asyncio.run(_drain(gated.astream(args)))
        elif how == "arun":
            asyncio.run(gated.arun(args))
        else:
            gated.with_config(tags=["x"]).invoke(args)
    except Exception:  # noqa: BLE001 - refusing to run is as good as denying
        pass
    assert wired == [], f"GatedTool.{how} ran the tool past a guard that denies everything"


async def _drain(stream):
    return [x async for x in stream]


def test_every_entry_point_of_a_gated_tool_commits_through_the_gate() -> None:
    wired: list[int] = []

    @tool
    def wire(to: str, amount: int) -> str:
        """Wire money."""
        wired.append(amount)
        return f"wired {amount}"

    @guard
    def small(p, c):
        return ALLOW if p.args["amount"] < 100 else Deny(reason="too much")

    gated = guard_tool(wire, [small])
    assert gated.batch([{"to": "a", "amount": 1}, {"to": "b", "amount": 2}]) == ["wired 1", "wired 2"]
    assert list(gated.stream({"to": "a", "amount": 3})) == ["wired 3"]
    assert gated.run({"to": "a", "amount": 4}) == "wired 4"
    assert asyncio.run(gated.abatch([{"to": "a", "amount": 5}])) == ["wired 5"]
    assert asyncio.run(_drain(gated.astream({"to": "a", "amount": 6}))) == ["wired 6"]
    assert asyncio.run(gated.arun({"to": "a", "amount": 7})) == "wired 7"
    denied = gated.batch([{"to": "a", "amount": 500}])[0]
    assert denied.status == "error" and wired == [1, 2, 3, 4, 5, 6, 7]
    # what describes the tool is the tool's; what would run it otherwise is refused
    assert gated.name == "wire" and gated.get_input_schema().model_json_schema()["required"] == ["to", "amount"]
    with pytest.raises(UnmediatedEffectError, match="with_retry"):
        gated.with_retry()
