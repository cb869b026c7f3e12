from __future__ import annotations

import json

import pytest

from langgraph.checkpoint.memory import InMemorySaver

from conftest import config
from vfa import Agent, ConfigError, configure_tracing
from vfa.testing import ScriptedModel, capture_spans


def test_span_tree_of_a_run(bank):
    transfer, lookup = bank.tools()
    agent = Agent(ScriptedModel([[("transfer", {"to": "bob", "amount": 500}), ("lookup", {"who": "bob"})], "done"]),
                  [transfer, lookup], bank.guards(), name="payments")
    app = agent.compile(checkpointer=InMemorySaver())
    with capture_spans() as spans:
        app.invoke({"messages": [("user", "pay")]}, config())
        finished = spans.get_finished_spans()
        metrics = spans.metric_reader.get_metrics_data()
    by_name = {s.name: s for s in finished}
    root = by_name["invoke_agent payments"]
    assert root.attributes["gen_ai.agent.name"] == "payments"
    assert root.attributes["gen_ai.operation.name"] == "invoke_agent"
    tool = by_name["execute_tool transfer"]
    assert tool.parent.span_id == root.context.span_id
    assert tool.attributes["gen_ai.tool.call.id"] == "call_0_0" and tool.attributes["vfa.outcome"] == "denied"
    # a call that did not commit ends its span in error, named by its outcome (GenAI `error.type`)
    assert tool.status.status_code.name == "ERROR" and tool.attributes["error.type"] == "denied"
    guard_spans = [s for s in finished if s.name.startswith("run_guardrail") and s.parent.span_id == tool.context.span_id]
    assert [s.name for s in guard_spans] == ["run_guardrail budget"]  # the chain stopped at the deny
    deny = guard_spans[0]
    assert deny.attributes["vfa.verdict"] == "deny" and "exceeds balance" in deny.attributes["vfa.reason"]
    assert json.loads(deny.attributes["vfa.evidence"]) == {"amount": 500, "balance": 100}
    assert deny.attributes["vfa.latency_s"] >= 0
    lookup_span = by_name["execute_tool lookup"]
    assert lookup_span.status.status_code.name == "UNSET" and "error.type" not in lookup_span.attributes
    assert sorted(s.name for s in finished if s.parent and s.parent.span_id == lookup_span.context.span_id) == [
        "run_guardrail budget", "run_guardrail large"]
    names = {m.name for rm in metrics.resource_metrics for sm in rm.scope_metrics for m in sm.metrics}
    assert {"vfa.guard.verdicts", "vfa.guard.duration"} <= names


def test_no_spans_when_tracing_is_off(bank):
    from vfa import tracing_enabled

    assert not tracing_enabled()


def test_jsonl_file_exporter(tmp_path, bank, monkeypatch):
    from vfa import _tracing

    monkeypatch.setenv("OTEL_SERVICE_NAME", "vfa-test")
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    path = tmp_path / "trace.jsonl"
    provider = configure_tracing(path, set_global=False)
    try:
        transfer, lookup = bank.tools()
        app = Agent(ScriptedModel([("lookup", {"who": "bob"}), "done"]), [transfer, lookup], bank.guards()).compile()
        app.invoke({"messages": [("user", "hi")]})
        provider.force_flush()
    finally:
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    names = [r["name"] for r in rows]
    assert "invoke_agent agent" in names and "execute_tool lookup" in names
    assert {r["service"] for r in rows} == {"vfa-test"}


def test_the_agent_span_is_not_left_current_between_stream_chunks(bank):
    from opentelemetry import trace

    transfer, lookup = bank.tools()
    app = Agent(ScriptedModel([("lookup", {"who": "bob"}), "done"]), [transfer, lookup], bank.guards()).compile()
    with capture_spans() as spans:
        seen = []
        for _ in app.stream({"messages": [("user", "hi")]}, stream_mode="updates"):
            seen.append(trace.get_current_span().get_span_context().span_id)
        finished = spans.get_finished_spans()
    assert seen and set(seen) == {0}  # the consumer's code runs outside the agent's span
    root = next(s for s in finished if s.name == "invoke_agent agent")
    assert all(s.context.trace_id == root.context.trace_id for s in finished)


def test_a_huge_time_budget_is_clamped_not_an_error():
    from vfa import ALLOW, GuardChain, GuardContext, Proposal, guard

    @guard(timeout_s=1e12)
    def patient(p, c):
        return ALLOW

    assert GuardChain([patient]).verify(Proposal(call_id="c", tool="t", args={}), GuardContext()).allowed


def test_the_jsonl_file_keeps_span_events(tmp_path, monkeypatch):
    """Fixed: the file exporter wrote no events, so the type of an exception a span records was lost."""
    from vfa import _tracing

    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    path = tmp_path / "trace.jsonl"
    provider = configure_tracing(path, set_global=False)
    try:
        with provider.get_tracer("test").start_as_current_span("work") as span:
            _tracing._record_failure(span, KeyError("private detail"))
        provider.force_flush()
    finally:
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None
    (row,) = [json.loads(line) for line in path.read_text().splitlines()]
    assert row["status"] == "ERROR"
    assert [(e["name"], e["attributes"]) for e in row["events"]] == [("exception", {"exception.type": "builtins.KeyError"})]
    assert "private detail" not in path.read_text()


@pytest.mark.parametrize("bad", ["", "   ", 7])
def test_configure_tracing_refuses_a_path_naming_no_file(bad):
    """A trace path that names no file is refused by name before a provider exists."""
    with pytest.raises(ConfigError, match="trace path"):
        configure_tracing(bad, set_global=False)


def test_configure_tracing_refuses_a_folder_and_names_a_file_in_it(tmp_path):
    """A folder given as the trace path is a `ConfigError` that suggests a file in it, not an IsADirectoryError."""
    with pytest.raises(ConfigError, match="is a folder.*trace.jsonl"):
        configure_tracing(tmp_path, set_global=False)


def test_a_failed_tool_ends_its_span_in_error():
    """A tool that raised: its `execute_tool` span is in error, `error.type` "failed", no message text."""
    from langchain_core.tools import tool

    @tool
    def flaky(x: int) -> int:
        """Fails on purpose."""
        raise RuntimeError("secret-detail-42")

    app = Agent(ScriptedModel([("flaky", {"x": 1}), "done"]), [flaky], []).compile()
    with capture_spans() as spans:
        app.invoke({"messages": [("user", "go")]})
        span = next(s for s in spans.get_finished_spans() if s.name == "execute_tool flaky")
    assert span.attributes["vfa.outcome"] == "failed" and span.attributes["error.type"] == "failed"
    assert span.status.status_code.name == "ERROR" and "secret-detail-42" not in str(span.to_json())
