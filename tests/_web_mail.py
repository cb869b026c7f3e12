"""What the `create_agent` privacy tests share: a web page tool (its body untrusted), a mail tool (a sink
whose recipients need the user's authority), and an app's middleware that answers a tool's calls
itself, past the gate."""

from __future__ import annotations

from typing import Any

from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import ToolMessage
from langchain_core.tools import tool

from guards import privacy_sink, privacy_source


def web_page(body: str) -> Any:
    """`browse(url)`, whose page holds `body` (untrusted content)."""

    @tool
    @privacy_source(untrusted=["body"], kind="web")
    def browse(url: str) -> dict:
        """Read a web page."""
        return {"url": url, "body": body}

    return browse


def mail_to(sent: list[Any]) -> Any:
    """`send_email(to, body)`, which appends `(to, body)` to `sent`."""

    @tool
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    def send_email(to: str, body: str) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    return send_email


class AnsweredPastTheGate(AgentMiddleware):
    """An app's own middleware that answers one tool's calls itself (a cache), past the gate: what it
    writes may hold anything, so the flow must take it for a result it never labelled."""

    def __init__(self, tool_name: str, text: str) -> None:
        super().__init__()
        self.tool_name, self.text = tool_name, text

    def wrap_tool_call(self, request: Any, handler: Any) -> Any:
        if request.tool_call["name"] == self.tool_name:
            return ToolMessage(self.text, tool_call_id=request.tool_call["id"], name=self.tool_name)
        return handler(request)
