"""Two `vfa demo` runs on one folder (two threads) pay out of one ledger as if each had it alone.

Red team 154. Each run reads `ledger.json` once, when it starts: its guards check every payment against
that copy, and each payment saves that copy back. A second `vfa demo --dir out --thread two` started
while `--thread one` runs (or started before it paid) checks the rent against the balance of 300 the
first run already spent, and its save overwrites the first run's: the demo's own guard
(`within_balance`) lets through payments the ledger cannot cover (420 paid out of 300) and the ledger
then says 90, as if only one thread had paid. The README says `--thread NAME` "starts a new one on the
ledger the earlier commits left" and every tool call is verified before it commits: verified against
a world that is no longer there, it is not; and the ledger loses what the other run paid.

Fixed: the demo's guards read the ledger again each time, and a payment reads, checks and saves it
under a lock on its folder; a payment the balance no longer covers fails with nothing sent.
"""

from __future__ import annotations

import json

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from vfa import EffectJournal
from vfa._demo import build_demo_agent


def _run(agent, thread: str) -> str:
    app = agent.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": thread}}
    app.invoke({"messages": [("user", "Pay the rent (100) and alice for dinner (80), then bob 10 for coffee.")]}, config)
    while app.get_state(config).interrupts:  # `--yes`
        app.invoke(Command(resume={"type": "approve"}), config)
    return app.get_state(config).values["messages"][-1].content


def test_two_demo_runs_on_one_folder_never_pay_more_than_the_ledger_holds(tmp_path):
    one, _ = build_demo_agent(tmp_path)  # `vfa demo --dir out --thread one`
    two, _ = build_demo_agent(tmp_path)  # `vfa demo --dir out --thread two`, started meanwhile
    _run(one, "one")
    _run(two, "two")
    journal = EffectJournal(tmp_path / "journal.db")
    paid = sum(r.args["amount"] for t in ("one", "two") for r in journal.committed(t))
    balance = json.loads((tmp_path / "ledger.json").read_text())["balance"]
    assert paid <= 300, f"the guards let {paid} be paid out of a balance of 300"
    assert balance == 300 - paid, f"{paid} was paid, yet the ledger says the balance is {balance}"
