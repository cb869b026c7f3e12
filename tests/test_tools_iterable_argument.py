"""Red team 83: labelling a call consumes an `Iterable` argument; the effect commits with nothing in it.

`send_lines(to: str, lines: Iterable[str])`: pydantic validates an `Iterable[...]` field lazily, into a
one-shot `ValidatorIterator`. `PrivacyFlow._label_args` reads the argument's leaves with `_leaves`,
which hands an object that is no list to `json_value`; pydantic's `to_jsonable_python` iterates it
there, and the guard's joined-texts check (`_strings_of`) reads it again. The iterator is exhausted
before the effect runs: the tool receives an empty iterable, the mail goes out with no lines, and the
call is journaled `committed`. The same agent without the flow sends both lines.

Not a documented limit: the README says the flow labels a typed argument "as the tool can read it";
nothing says labelling changes what the tool reads. A guard must not alter the effect it admits.

Expected: the flow labels the argument without consuming it (or the node materialises one-shot
iterables before any hook reads them), and the tool receives both lines.
Fixed: `ToolSpec.validate` reads a lazily validated iterable argument into a list (its items validated).
"""

from __future__ import annotations

from collections.abc import Iterable

from langchain_core.messages import HumanMessage, ToolMessage

from benchmarks.privacy.world import BOB, POLICY, World
from guards import PrivacyFlow, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

LINES = ["hello", "see you on Friday"]


def _run(with_flow: bool) -> tuple[str, list[list[str]]]:
    got: list[list[str]] = []

    @privacy_sink(disclose={"lines": "to"}, authority=["to"])
    @privacy_source()
    @effect
    def send_lines(to: str, lines: Iterable[str]) -> str:
        """Send a mail of several lines."""
        got.append(list(lines))
        return "sent"

    model = ScriptedModel([("send_lines", {"to": BOB, "lines": LINES}), "done"])
    if with_flow:
        flow = PrivacyFlow(POLICY, secret=b"rt83-iter")
        app = Agent(model, [*World().tools(), send_lines], guards=[flow.guard()], flow=flow).compile()
    else:
        app = Agent(model, [send_lines]).compile()
    out = app.invoke({"messages": [HumanMessage(f"Send {BOB} a note: hello, see you on Friday.")]},
                     {"configurable": {"thread_id": "t"}})
    last = [m for m in out["messages"] if isinstance(m, ToolMessage)][-1]
    return last.artifact["vfa"]["outcome"], got


def test_the_flow_leaves_an_iterable_argument_for_the_tool() -> None:
    outcome, got = _run(with_flow=False)
    assert outcome == "committed" and got == [LINES]
    outcome, got = _run(with_flow=True)
    assert outcome == "committed"
    assert got == [LINES], f"the tool received {got}: labelling consumed the argument"


def test_an_iterable_argument_is_validated_whole_before_any_guard() -> None:
    import pytest

    from vfa import ArgumentError, ToolSpec

    def total(values: Iterable[int]) -> int:
        """Add them up."""
        return sum(values)

    spec = ToolSpec.of(total)
    args = spec.validate({"values": [1, 2]})
    assert args == {"values": [1, 2]} and spec.fn(**args) == 3 and spec.fn(**args) == 3  # read twice, whole
    with pytest.raises(ArgumentError, match="values"):
        spec.validate({"values": [1, "two"]})
