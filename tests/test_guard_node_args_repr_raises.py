"""Red team 133: a tool call whose arguments hold an object whose `__repr__` raises crashes the graph.

Guarantee: fail closed; bad input gets a clear error and nothing is committed. The guard node serialises
a call's arguments once (`vfa/_guard_node.py::_json_or_none`) for the size check and the fingerprint,
and refuses what cannot be written ("arguments of ... cannot be serialised as JSON"). The journal's
encoder writes a value JSON cannot carry by its repr, and `_json_or_none` catches only TypeError,
ValueError and RecursionError: a repr that raises anything else (here RuntimeError) escapes the tools
node and ends the run with the exception (an argument a middleware, a model integration's parser or
an edit hands the node is not always JSON). `_repr` beside it already treats a raising repr as data.

Fixed: `_json_or_none` takes any exception a repr raises for arguments that cannot be written: the
call is refused as unserialisable and nothing starts.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, privacy_sink, privacy_source
from guards._privacy_decl import PrivacyPolicy
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


class Hostile:
    def __repr__(self) -> str:
        raise RuntimeError("repr refused")

    __str__ = __repr__


def test_an_argument_whose_repr_raises_is_refused_not_crashed_on():
    sent: list = []

    @privacy_sink(disclose={"body": "to"})
    @privacy_source()
    @effect
    def send(to: list[str], body: str) -> str:
        """Send a message."""
        sent.append(body)
        return "sent"

    journal = EffectJournal()
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"rt133", journal=journal)
    model = ScriptedModel([("send", {"to": ["bob@x.example"], "body": Hostile()}), "done"])
    app = Agent(model, [send], guards=[flow.guard()], flow=flow, journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("hi")]}, {"configurable": {"thread_id": "t"}})
    assert sent == []
    assert "cannot be serialised as JSON" in str(out["messages"][2].content)
    assert not any(e.kind in ("started", "committed") for e in journal.entries("t"))
