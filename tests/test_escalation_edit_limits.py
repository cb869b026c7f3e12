"""Red team 78: A person's edit skips the size and depth limits every model call must pass.

README: "invalid arguments, unknown tools and oversized payloads (over `max_arg_bytes` as JSON, 64 KiB
by default, or nested over `MAX_ARG_DEPTH`, 64 levels) are denials, not crashes", and an edit is
"labelled and verified again". `GuardNode._handle` applies the JSON, size and depth checks to the
model's `raw_args` only (vfa/_guard_node.py, before `spec.validate`); an edit taken from a resume
value (`Questions.last_edit` in `_handle`, `decision.get("args")` in `_rounds`) goes straight to
`spec.validate`. So an edit of 200 KB is committed, and an edit nested 3,000 levels deep crashes the
run with a RecursionError while the answer is journaled (`Questions._record` -> `EffectJournal.append`
-> `dumps`), where a model's call of the same shape gets a clean denial. Resume values come from
whatever client shows the question (a web form), not from the model's tool-call parser.
"""

from __future__ import annotations

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import Agent, Escalate, effect, guard
from vfa.testing import ScriptedModel


def _app(posted):
    @effect
    def post(payload: dict) -> str:
        """Post a payload."""
        posted.append(payload)
        return "ok"

    @guard
    def ask(p, c):
        return Escalate(question="post this?")

    model = ScriptedModel([("post", {"payload": {"a": 1}}), "ok"])
    return Agent(model, [post], [ask]).compile(checkpointer=InMemorySaver())


def _deep(levels):
    root = cur = {}
    for _ in range(levels):
        cur["n"] = {}
        cur = cur["n"]
    return root


def test_an_oversized_edit_is_refused_like_an_oversized_call():
    posted: list = []
    app = _app(posted)
    cfg = {"configurable": {"thread_id": "big"}}
    app.invoke({"messages": [("user", "go")]}, cfg)
    out = app.invoke(Command(resume={"type": "edit", "args": {"payload": {"x": "A" * 200_000}}}), cfg)
    if "__interrupt__" in out:  # the guard asks about the edit: approve it
        out = app.invoke(Command(resume="approve"), cfg)
    assert posted == [], "a 200 KB edit was committed past max_arg_bytes (64 KiB)"
    said = next(m for m in out["messages"] if m.type == "tool")
    assert said.artifact["vfa"]["outcome"] == "rejected" and "over the limit of 65536" in said.content, said.content


def test_a_deeply_nested_edit_is_refused_not_a_crash():
    posted: list = []
    app = _app(posted)
    cfg = {"configurable": {"thread_id": "deep"}}
    app.invoke({"messages": [("user", "go")]}, cfg)
    out = app.invoke(Command(resume={"type": "edit", "args": {"payload": _deep(200)}}), cfg)  # deeper than MAX_ARG_DEPTH (64), within what the checkpointer writes
    assert posted == [] and out["messages"][-1].type in ("tool", "ai")
    said = next(m for m in out["messages"] if m.type == "tool")
    assert said.artifact["vfa"]["outcome"] == "rejected" and "nested over 64 levels" in said.content, said.content
