"""The lower bounds in pyproject.toml admit no version that vfa breaks on.

Each bound below was found by installing the oldest versions the bounds allowed into a fresh venv and
running the kernel, guards and graphs tests there:

- langgraph: before 1.2.20 every question a task asks has the task's interrupt id (`_interrupt_id`
  arrived in 1.2.20), so an answer cannot name its question: an approval a client re-sends to the first
  question of a call answers the second one. With `confirm` then `over_limit` on one payment, re-sending
  the approval of "pay 900 to bob?" paid 900 with the over-limit question never answered (fail open;
  `tests/test_escalation_answers.py` fails on 1.0.2 and 1.2.19, passes on 1.2.20). Before 1.2.0,
  `guard_graph` of a compiled graph also raised `AttributeError: 'StateNodeSpec' object has no attribute
  'is_error_handler'`.
- langgraph-prebuilt: 1.0.0 and 1.0.1 have no `ToolCallRequest`, so `import graphs` fails; before 1.0.5
  there is no `_get_all_injected_args`, so every LangChain tool given to `Agent` or `guard_graph` fails
  with an ImportError at its first call.
  Before 1.1.1 a ToolNode with `handle_tool_errors` turns an error its `wrap_tool_call` raises into the
  call's failure, LangGraph's `GraphBubbleUp` too: a gate's refusal under `guard_graph` ("nothing was done",
  `CallInFlightError`) was saved as a failed payment and the model paid again
  (`tests/test_gate_refusals_through_error_handlers.py` and `tests/test_error_handlers_hand_on_stops.py`
  fail on 1.1.0, pass on 1.1.1).
- langchain: 1.0.0 to 1.0.2 run `create_agent`'s tools in a ToolNode of langchain's own, which
  `GuardMiddleware` does not drive (`tests/test_middleware.py` fails: allowed calls never commit);
  and every release before 1.3 requires langgraph < 1.1. Before 1.3.15 its error handlers retry or save
  `GraphBubbleUp` as any error (`ToolRetryMiddleware` hands it on from 1.3.12, `ModelRetryMiddleware` from
  1.3.15; `ToolErrorMiddleware`, which the README names, is new in 1.3.14): a gate's refusal became the
  call's failure and a set-up `PolicyError` the model's answer (`tests/test_middleware_setup_error_not_retried.py`
  fails on 1.3.14, passes on 1.3.15).
- langgraph-checkpoint-sqlite: 3.0.0 and 3.0.1 require langgraph-checkpoint < 4, which langgraph 1.2.20
  does not allow (pip cannot install them beside it); 3.0.2's `AsyncSqliteSaver` calls
  `aiosqlite.Connection.is_alive`, gone in aiosqlite 0.22 (what pip picks beside it), so its first read
  raises AttributeError (`tests/test_journal_delete_thread.py::test_adelete_thread_with_an_async_checkpointer`
  fails on 3.0.2, passes on 3.0.3).
- pydantic: 2.12.0 warns ("PydanticSerializationUnexpectedValue", a UserWarning) at every dump of a
  `Decision` holding an allow with no evidence: an error under warnings-as-errors (2.12.1 is yanked).

What must hold: each declared lower bound is at least the oldest version vfa works on.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

OLDEST_THAT_WORKS = {
    "langgraph": (1, 2, 20),
    "langgraph-prebuilt": (1, 1, 1),
    "langchain": (1, 3, 15),
    "langgraph-checkpoint-sqlite": (3, 0, 3),
    "pydantic": (2, 12, 2),
}


def _lower_bounds() -> dict[str, tuple[int, ...]]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    out: dict[str, tuple[int, ...]] = {}
    for dep in deps:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)\s*(?:,.*)?", dep.strip())
        assert m, f"dependency {dep!r} has no lower bound of the form name>=X.Y"
        out[m.group(1).lower()] = tuple(int(p) for p in m.group(2).split("."))
    return out


def test_each_lower_bound_admits_only_versions_vfa_works_on() -> None:
    bounds = _lower_bounds()
    low = {name: ".".join(map(str, bounds[name])) for name, oldest in OLDEST_THAT_WORKS.items()
           if bounds[name] + (0,) * (3 - len(bounds[name])) < oldest}
    assert not low, f"lower bounds admit versions vfa breaks on: {low}; oldest that work: {OLDEST_THAT_WORKS}"
