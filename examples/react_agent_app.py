"""A `langgraph.prebuilt.create_react_agent` app (deprecated, but everywhere), guarded in one call.

Run: python examples/react_agent_app.py   (offline: a scripted model plays the LLM)
"""

from __future__ import annotations

import warnings

from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import create_react_agent

from vfa.testing import ScriptedModel

DELETED: list[str] = []


@tool
def delete_file(path: str) -> str:
    """Delete a file."""
    DELETED.append(path)
    return f"deleted {path}"


model = ScriptedModel([[("delete_file", {"path": "/tmp/build/cache.bin"}), ("delete_file", {"path": "/etc/passwd"})],
                       "done"])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # create_react_agent is deprecated in favour of create_agent
    app = create_react_agent(model, [delete_file], checkpointer=InMemorySaver())

# -- guarded: three added lines ------------------------------------------------------------------------

from graphs import guard_graph  # noqa: E402  (added line 1)
from vfa import ALLOW, Deny, guard  # noqa: E402  (added line 2)

guarded = guard_graph(app, [guard(lambda p, c: ALLOW if p.args["path"].startswith("/tmp/") else Deny(reason="only /tmp may be deleted"), name="tmp_only")])  # (added line 3)  # noqa: E501

if __name__ == "__main__":
    out = guarded.invoke({"messages": [("user", "clean up")]}, {"configurable": {"thread_id": "1"}})
    for m in out["messages"][1:]:
        print(f"  {type(m).__name__:12} {m.content or m.tool_calls}")
    print("  deleted:", DELETED)
    for chunk in guarded.stream({"messages": [("user", "clean up")]}, {"configurable": {"thread_id": "2"}},
                                stream_mode="updates"):
        print("  stream:", list(chunk))
