"""`delete_thread` erases checkpoints and journal entries, never the trace file.

The README's "Erasing a thread" said `agent.delete_thread(thread_id)` "erases a conversation that is over,
its checkpoints first, then its journal entries", which reads as the whole conversation. docs/kernel.md
("Erasing a thread") is the reference and says what an erasure request needs to know: "the trace file
(verdicts' reasons and evidence), the checkpointer's file and backups are their own". A guard's evidence
(here the body it denied) stays in `.vfa/trace.jsonl` after the thread is erased. What must hold: the
journal holds nothing of the thread, the trace still holds the evidence, and the README's summary says
the trace is left.
"""

from __future__ import annotations

from pathlib import Path

from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, Deny, _tracing, configure_tracing, effect, guard
from vfa.testing import ScriptedModel

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_the_trace_keeps_a_verdicts_evidence_after_the_thread_is_erased(tmp_path: Path) -> None:
    @effect
    def send(to: str, body: str) -> str:
        """Send a message."""
        return "sent"

    @guard
    def outsiders(p, c):
        return Deny(reason="outside", evidence={"body": p.args["body"]}) if p.args["to"].endswith("@evil") else ALLOW

    provider = configure_tracing(tmp_path / "trace.jsonl", set_global=False, otlp=False)
    try:
        agent = Agent(ScriptedModel([("send", {"to": "x@evil", "body": "my diary 4711"}), "ok"]), [send],
                      [outsiders], journal=str(tmp_path / "journal.db"))
        agent.compile(checkpointer=InMemorySaver()).invoke({"messages": [("user", "go")]},
                                                           {"configurable": {"thread_id": "t1"}})
        agent.delete_thread("t1")
        provider.force_flush()
        assert agent.journal.entries("t1") == []
        agent.close()
    finally:
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None
        provider.shutdown()
    assert "my diary 4711" in (tmp_path / "trace.jsonl").read_text()


def test_the_readme_summary_says_the_trace_is_left() -> None:
    bullet = README.split("- **Erasing a thread.**", 1)[1].split("\n- **", 1)[0]
    assert "trace" in bullet, bullet
