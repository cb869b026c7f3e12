"""Generated runs mixing tool errors, compaction, a person's answers across resumes (and restarts) and a
retried effect node: the live privacy guard against the audits of what it recorded, and what reached whom.

Each plan (`_mixed_runs`, a seeded `random.Random`) is a short scripted run over the benchmark world plus
two tools that fail (`lookup` raises quoting its query and an attacker's address; `status`, trusted, hands
back a handled `ToolException` quoting an attacker's IBAN). The model copies values it read in clear, its
handles, pieces of error texts, a summary's text and an address a summary or an error named into mails,
payments and posts. Runs go through `create_agent` with LangChain's `SummarizationMiddleware` (a summary that
quotes what it folds, or not) and `GuardMiddleware`, or vfa's `Agent`, or a `guard_graph` app with its own
compaction node (`lc_source`) and an effect node `publish` that fails 0-3 times (`RetryPolicy`) before it
posts the model's answer; a person approves (once or for the recipient), rejects or edits; with `restart`, a
new flow on the same journal file answers some of the questions.

Invariants: the journal's audit reports what the live guard denied or asked about; the messages' audit too,
where no summary folded the results its labels came from (it holds what the messages hold); no private value
reaches anyone the policy does not let read it unless a person approved a call. The seeds are fixed and the
run is bounded (well under 30 s).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from _mixed_runs import graph_plan, plan, run, run_graph

SEEDS = range(12)


def _summarised(messages: list) -> bool:
    return any(getattr(m, "additional_kwargs", {}).get("lc_source") for m in messages)


@pytest.mark.parametrize("restart", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_agent_runs_audits_agree_and_nothing_leaks(seed: int, restart: bool, tmp_path: Path) -> None:
    rng = random.Random(seed)
    p = plan(rng)
    if restart:
        p.update(ask=True, db=str(tmp_path / "j.db"), restart=rng.choice([1, 2]))
    r = run(p)
    assert r["by_journal"] == r["live"], (p, r["by_journal"])
    if not _summarised(r["messages"]):
        assert r["by_messages"] == [v for v in r["live"] if v[0] in r["kept"]], (p, r["by_messages"])
    assert r["approved"] or not r["leaks"], (p, r["leaks"])


@pytest.mark.parametrize("restart", [False, True])
@pytest.mark.parametrize("seed", SEEDS)
def test_graph_runs_with_a_retried_effect_node_agree_and_nothing_leaks(seed: int, restart: bool, tmp_path: Path) -> None:
    rng = random.Random(seed)
    p = graph_plan(rng)
    if restart:
        p.update(ask=True, db=str(tmp_path / "j.db"), restart=rng.choice([1, 2]))
    r = run_graph(p)
    assert r["by_journal"] == r["live"], (p, r["by_journal"])
    assert r["approved"] or not r["leaks"], (p, r["leaks"])
    assert not r["out"].get("__interrupt__")
