"""README claims outside the privacy section that no test pinned before red team 142: each passes now,
and fails if the code drifts from what the README says."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import Agent, Escalate, GuardNode, effect
from vfa.testing import ScriptedModel

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _store_app(ran: list) -> object:
    @effect
    def store(payload: str) -> str:
        """Store a payload."""
        ran.append(len(payload))
        return "stored"

    def rule(messages):
        if isinstance(messages[-1], HumanMessage):
            n = int(str(messages[-1].content))
            return AIMessage("", tool_calls=[{"name": "store", "args": {"payload": "x" * n}, "id": "c1"}])
        return "done"

    return Agent(ScriptedModel(rule=rule), [store]).compile()


def test_max_arg_bytes_is_64_kib_of_json_inclusive():
    """"oversized payloads (over `max_arg_bytes` as JSON, 64 KiB by default)": 65,536 bytes pass, one more is denied."""
    ran: list = []
    app = _store_app(ran)
    frame = len('{"payload":""}')  # the arguments' JSON around the string
    at = app.invoke({"messages": [HumanMessage(str(64 * 1024 - frame))]}, {"configurable": {"thread_id": "at"}})
    assert at["messages"][2].artifact["vfa"]["outcome"] == "committed" and ran == [64 * 1024 - frame]
    over = app.invoke({"messages": [HumanMessage(str(64 * 1024 - frame + 1))]}, {"configurable": {"thread_id": "over"}})
    msg = over["messages"][2]
    assert msg.artifact["vfa"]["outcome"] == "denied" and "65537 bytes, over the limit of 65536" in msg.content
    assert len(ran) == 1


def test_one_call_is_asked_at_most_16_questions():
    """"one call is asked at most 16 questions (a question that changes at every resume)"."""
    paid: list = []
    world = {"n": 0}

    @effect
    def pay(to: str, amount: int) -> str:
        """Pay."""
        paid.append(to)
        return "paid"

    class Changing:
        name, inline, tools, timeout_s = "changing", True, None, None

        def check(self, proposal, context):
            return Escalate(question=f"pay? (asked {context.world['n']})")

    app = Agent(ScriptedModel([("pay", {"to": "bob", "amount": 5}), "end"]), [pay], [Changing()],
                world=lambda: world).compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "q"}}
    out = app.invoke({"messages": [("user", "pay")]}, cfg)
    asked = 0
    while "__interrupt__" in out and asked < 40:
        asked += 1
        world["n"] += 1
        out = app.invoke(Command(resume={"type": "approve"}), cfg)
    assert asked == 16 and paid == []
    last = out["messages"][-2]
    assert last.artifact["vfa"]["outcome"] == "rejected" and "16 questions were asked" in last.content


def test_a_call_waits_for_its_threads_lock_60_seconds_by_default():
    """"A call waits for its thread's lock at most `lock_wait_s` seconds (a guard node's attribute, 60 by default)"."""
    import graphs

    assert GuardNode([]).lock_wait_s == 60
    assert graphs.ToolGate([]).node.lock_wait_s == 60
    assert graphs.GuardMiddleware([]).gate.node.lock_wait_s == 60


def test_configure_tracing_writes_to_dot_vfa_trace_jsonl_by_default(tmp_path, monkeypatch):
    """"`vfa.configure_tracing()` writes spans to `.vfa/trace.jsonl`"."""
    from vfa import _tracing, configure_tracing

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    provider = configure_tracing(set_global=False)
    try:
        Agent(ScriptedModel(["hi"]), []).compile().invoke({"messages": [("user", "hi")]})
        provider.force_flush()
    finally:
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None
        provider.shutdown()
    assert "invoke_agent agent" in (tmp_path / ".vfa" / "trace.jsonl").read_text()


def test_scripted_model_is_a_langchain_chat_model():
    """"`vfa.testing.ScriptedModel` is a LangChain `BaseChatModel` driven by a script or a rule"."""
    from langchain_core.language_models import BaseChatModel

    assert isinstance(ScriptedModel(["a"]), BaseChatModel)
    assert isinstance(ScriptedModel(rule=lambda messages: "a"), BaseChatModel)


def test_agent_takes_tools_guards_and_a_journal_path_by_name(tmp_path, monkeypatch):
    """"Using a real model": `Agent(model, tools=[...], guards=[...])` and `Agent(..., journal="journal.db")`."""
    monkeypatch.chdir(tmp_path)

    @effect
    def note(text: str) -> str:
        """Note."""
        return "noted"

    agent = Agent(ScriptedModel([("note", {"text": "x"}), "ok"]), tools=[note], guards=[], journal="journal.db")
    agent.compile().invoke({"messages": [("user", "note")]}, {"configurable": {"thread_id": "j"}})
    assert agent.journal.path == "journal.db" and (tmp_path / "journal.db").is_file()
    assert [r.args for r in agent.journal.committed("j")] == [{"text": "x"}]


def test_the_guard_library_table_names_what_its_packages_export():
    """Every name in the README's "The guard library" table is exported by the package its row names."""
    import importlib

    section = README.split("## The guard library", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    assert len(rows) == 4
    for row in rows:
        names_cell, _, package_cell = (c.strip() for c in row.strip("|").split("|"))
        package = importlib.import_module(package_cell.strip("`"))
        for name in re.findall(r"`@?([A-Za-z_][\w.]*)", names_cell):
            name = name.split("(")[0].removeprefix(package.__name__ + ".")
            assert hasattr(package, name), f"{package.__name__} exports no {name}"
    assert "`verify_plan` proves a whole plan" in section and hasattr(importlib.import_module("guards"), "verify_plan")


def _imports(path: Path) -> set[str]:
    """Top-level package names a file imports, at any level of its code (not only its module's body)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_imports_point_down_only_and_z3_numba_only_in_guards():
    """"Imports point down only: `vfa` <- `guards` <- `graphs` <- CLI, examples, benchmarks", z3 and numba in guards/ only.

    The CLI (`vfa/cli.py`, `vfa/__main__.py`) is the top layer, though it lives in the vfa package."""
    above = {"vfa": {"guards", "graphs", "benchmarks", "examples"}, "guards": {"graphs", "benchmarks", "examples"},
             "graphs": {"benchmarks", "examples"}}
    for package, banned in above.items():
        for path in (ROOT / package).rglob("*.py"):
            if path.name in ("cli.py", "__main__.py") and package == "vfa":
                continue
            wrong = _imports(path) & banned
            assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}, a layer above it"
    for folder in ("vfa", "graphs", "benchmarks", "examples"):
        for path in (ROOT / folder).rglob("*.py"):
            heavy = _imports(path) & {"z3", "numba"}
            assert not heavy, f"{path.relative_to(ROOT)} imports {sorted(heavy)}: only guards/ may"


def test_import_of_every_vfa_module_loads_no_upper_layer():
    """`import vfa` (and each of its modules but the CLI) loads neither z3, numba, guards nor graphs."""
    code = ("import importlib, pkgutil, sys, vfa\n"
            "for m in pkgutil.walk_packages(vfa.__path__, 'vfa.'):\n"
            "    if m.name not in ('vfa.__main__', 'vfa.cli'):\n"
            "        importlib.import_module(m.name)\n"
            "print(sorted({k.split('.')[0] for k in sys.modules} & {'z3', 'numba', 'guards', 'graphs', 'benchmarks'}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


def test_demo_keeps_its_files_in_dot_vfa_demo_by_default(tmp_path):
    """"The demo keeps its journal, checkpoints, ledger and trace in `.vfa/demo`"; its one question, with no terminal
    and no `--yes`, is rejected."""
    proc = subprocess.run([sys.executable, "-m", "vfa", "demo"], cwd=tmp_path, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=180,
                          env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.count("? person asked") == 1 and "person answers: reject" in proc.stdout
    names = {p.name for p in (tmp_path / ".vfa" / "demo").iterdir()}
    assert {"journal.db", "checkpoints.db", "ledger.json", "trace.jsonl"} <= names


def test_otlp_false_never_sends_spans_though_an_endpoint_is_set(tmp_path, monkeypatch):
    """"over OTLP too when `OTEL_EXPORTER_OTLP_ENDPOINT` is set (extra `vfa[otlp]`; `otlp=False` never sends them)"."""
    import builtins

    from vfa import _tracing, configure_tracing

    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
    real_import = builtins.__import__

    def no_otlp(name, *args, **kwargs):
        if name.startswith("opentelemetry.exporter.otlp"):
            raise AssertionError("otlp=False imported the OTLP exporter")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_otlp)
    provider = configure_tracing(tmp_path / "t.jsonl", set_global=False, otlp=False)
    try:
        processors = provider._active_span_processor._span_processors
        assert len(processors) == 1  # the file's only
    finally:
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None
        provider.shutdown()
