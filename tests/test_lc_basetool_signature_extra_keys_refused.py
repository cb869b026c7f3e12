"""A `BaseTool` subclass with no `args_schema` gets no argument its guards did not judge.

LangChain hands such a tool (its schema read off `_run`'s signature) the call as written, unvalidated
(`BaseTool._parse_input` returns the input as it is when `args_schema` is None): a key the signature does not
name lands in its `**kwargs`, a string stays a string. `vfa/_lc_tools.py` `args_model_of` validated the call by
that signature's model, which ignores unknown keys: the guards judged `{"to": "bob", "more": None}` while the
tool mailed with `more={"bcc": "evil@x"}` (under vfa's `Agent` and `graphs.guard_tool` alike).

What must hold: every key the tool is given is judged; one the judged schema does not name is refused, the
denial naming it, the tool never run.

Fixed: a call of a BaseTool subclass with no args_schema is refused a key its signature does not name
(_unvalidated).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import BaseTool

from graphs import guard_tool
from vfa import ALLOW, Agent, guard
from vfa.testing import ScriptedModel


class Mail(BaseTool):
    name: str = "mail"
    description: str = "Mail someone."
    sent: list = []

    def _run(self, to: str, **more: Any) -> str:
        self.sent.append((to, more))
        return f"mailed {to}"


def _spy(seen):
    @guard
    def spy(p, c):
        seen.append(dict(p.args))
        return ALLOW
    return spy


def _keys_judged(seen, sent):
    for (to, more), args in zip(sent, seen):
        judged = {k for k, v in args.items() if v is not None} | set(args.get("more") or {})
        assert {"to", *more} <= judged, f"the tool was given {more} beside to={to!r}; the guards judged {args}"


def test_agent_judges_every_key_a_signature_tool_gets():
    tool, seen = Mail(sent=[]), []
    model = ScriptedModel([("mail", {"to": "bob", "bcc": "evil@x"}), "done"])
    out = Agent(model, [tool], guards=[_spy(seen)]).compile().invoke(
        {"messages": [HumanMessage("hi")]}, {"configurable": {"thread_id": "t"}})
    _keys_judged(seen, tool.sent)
    if not tool.sent:
        message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
        assert message.status == "error" and "bcc" in message.content


def test_guard_tool_judges_every_key_a_signature_tool_gets():
    tool, seen = Mail(sent=[]), []
    out = guard_tool(tool, [_spy(seen)]).invoke(
        {"name": "mail", "args": {"to": "bob", "bcc": "evil@x"}, "id": "c1", "type": "tool_call"})
    _keys_judged(seen, tool.sent)
    if not tool.sent:
        assert out.status == "error" and "bcc" in out.content
