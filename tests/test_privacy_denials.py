"""What a denial tells the model: never a private value it did not already know, nor which guess matched."""

from __future__ import annotations

from typing import Any

from _turns import by_step
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from pydantic import BaseModel

from guards import Policy, PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"


class Bank(BaseModel):
    balance: int


def _run(tools: list[Any], steps: list[Any], *, world: Any = None, journal: Any = None,
         flow: PrivacyFlow | None = None) -> tuple[PrivacyFlow, list[Any]]:
    """Run a scripted model through `steps` (a call, or a function of the tool messages so far giving one)."""
    flow = flow or PrivacyFlow(PrivacyPolicy.of(ME), secret=b"vfa-denials")

    app = Agent(ScriptedModel(rule=by_step(steps)), tools, guards=[flow.guard()], flow=flow, world=world,
                journal=journal).compile()
    out = app.invoke({"messages": [HumanMessage("pay my rent")]}, {"configurable": {"thread_id": "t"}})
    return flow, [m for m in out["messages"] if isinstance(m, ToolMessage)]


@privacy_sink(disclose={"content": "*"})
@privacy_source()
@effect
def post(content: str) -> str:
    """Publish a text (a public sink)."""
    return "posted"


def _bank_tools(state: Bank, posted: list[str]) -> list[Any]:
    bank = Policy(Bank)

    @privacy_sink()
    @privacy_source(private=["balance"], kind="bank")
    def get_balance() -> dict:
        """The balance."""
        return {"balance": state.balance}

    @privacy_sink(disclose={"amount": "iban"}, authority=["iban", "amount"])
    @privacy_source()
    @effect
    @bank.requires("0 < amount <= state.balance")
    def pay(iban: str, amount: int) -> str:
        """Pay."""
        return "paid"

    @privacy_sink(disclose={"content": "*"})
    @privacy_source()
    @effect
    def post(content: str) -> str:
        """Publish a text."""
        posted.append(content)
        return "posted"

    return [get_balance, pay, post]


def test_a_guards_denial_withholds_a_private_world_value_the_model_never_read():
    # the precondition compares the amount with the balance: its reason would read the balance out
    posted: list[str] = []
    _, tms = _run(_bank_tools(Bank(balance=48213), posted), [("pay", {"iban": "DE44", "amount": 10**12})],
                  world=lambda: Bank(balance=48213))
    denial = tms[-1]
    assert denial.artifact["vfa"]["outcome"] == "denied" and "requires:pay" in denial.content
    assert "48213" not in denial.content and "48213" not in str(denial.artifact)
    # every number is withheld, its own amount too: which are shown never depends on their values
    assert "‹withheld›" in denial.content and str(10**12) not in denial.content
    assert "precondition `0 < amount <= state.balance`" in denial.content  # the rule that failed is shown


def test_a_guess_equal_to_the_hidden_value_is_withheld_like_any_other():
    # the model writes guesses of the balance into the call: the one that matches must not show
    posted: list[str] = []
    world = lambda: Bank(balance=48213)
    memo = " ".join(str(g) for g in range(48200, 48230))
    tools = _bank_tools(Bank(balance=48213), posted)

    _, tms = _run(tools, [("pay", {"iban": f"DE44 {memo}", "amount": 10**12})], world=world)
    assert all("48213" not in m.content and "48213" not in str(m.artifact) for m in tms)


def test_a_denials_text_is_the_same_on_replay_and_after_a_restart(tmp_path):
    journal = EffectJournal(tmp_path / "journal.db")
    posted: list[str] = []
    flow, tms = _run(_bank_tools(Bank(balance=48213), posted), [("pay", {"iban": "DE44", "amount": 10**12})],
                     world=lambda: Bank(balance=48213), journal=journal)
    shown = tms[-1].content
    assert flow._obs[("t", tms[-1].tool_call_id)].text == shown
    again = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"vfa-denials", journal=journal)
    again._rebuild("t", None)  # a new process: rebuilt from the journal
    assert again._obs[("t", tms[-1].tool_call_id)].text == shown


def test_a_private_reader_is_not_named_by_a_denial():
    # the bcc of a sent mail read the mail, so it is among the readers; the model only saw its handle
    secret = "secret.lover@hidden.example"

    @privacy_sink()
    @privacy_source(private=["bcc", "body"], readers_from=["from", "bcc"], kind="email", key="id")
    def read_sent_mail() -> list:
        """Mail I sent."""
        return [{"id": 7, "from": ME, "bcc": [secret], "body": "see you tonight"}]

    import json

    _, tms = _run([read_sent_mail, post], [
        ("read_sent_mail", {}), lambda t: ("post", {"content": json.loads(t[0].content)[0]["body"]})])
    assert tms[-1].artifact["vfa"]["outcome"] == "denied" and "not every recipient may read" in tms[-1].content
    assert all(secret not in str(m.content) and secret not in str(m.artifact) for m in tms)


def test_guesses_at_handled_values_learn_no_record_from_a_denial():
    salary = {"ann": 104200, "bob": 97300}

    @privacy_sink()
    @privacy_source(private=["salary"], kind="employee", key="name")
    def list_staff() -> list:
        """Staff and salaries."""
        return [{"name": n, "salary": s} for n, s in salary.items()]

    # one guess is ann's salary, the other nobody's: the denial must not say whose matched
    _, tms = _run([list_staff, post], [("list_staff", {}), ("post", {"content": "104200 x 97301"})])
    denial = tms[-1].content
    assert tms[-1].artifact["vfa"]["outcome"] == "denied"
    assert "employee records" in denial and "employee:" not in denial


def test_the_nodes_own_refusals_are_shown_as_they_are():
    # a malformed call is refused before any guard: its reason quotes only the call and the node's limits
    posted: list[str] = []
    _, tms = _run(_bank_tools(Bank(balance=48213), posted), [("pay2", {"amount": 5})], world=lambda: Bank(balance=48213))
    assert tms[-1].artifact["vfa"]["outcome"] == "denied" and "unknown tool 'pay2'" in tms[-1].content


def test_the_opening_naming_the_tool_and_the_guard_is_shown_as_it_is():
    from vfa import Deny, FunctionGuard

    @privacy_sink(disclose={"content": "*"})
    @privacy_source()
    @effect
    def post2(content: str) -> str:
        """Publish a text."""
        return "posted"

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"vfa-denials")
    limit = FunctionGuard(lambda p, c: Deny(reason="over the limit of 280 characters"), name="limit2")
    model = ScriptedModel(rule=lambda ms: "done" if any(isinstance(m, ToolMessage) for m in ms) else ("post2", {"content": "hi"}))
    app = Agent(model, [post2], guards=[limit, flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("post hi")]}, {"configurable": {"thread_id": "t"}})
    denial = [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].content
    assert denial.startswith("post2 denied by guard 'limit2': over the limit of ‹withheld› characters")


def test_a_call_cut_off_by_a_crash_and_denied_on_recovery_reads_alike_when_replayed(tmp_path):
    # the effect started and the process died; after the restart the precondition denies the call,
    # and the model's proposing it again (a replay) must read the same withheld text, not the reason
    crash = {"on": True}
    world = {"bank": Bank(balance=90000)}
    bank = Policy(Bank)

    @privacy_sink(disclose={"amount": "iban"}, authority=["iban", "amount"])
    @privacy_source()
    @effect
    @bank.requires("0 < amount <= state.balance")
    def pay(iban: str, amount: int) -> str:
        """Pay."""
        if crash["on"]:
            raise KeyboardInterrupt("power cut")
        return "paid"

    def call() -> AIMessage:  # a new message each turn (one message object is added to the state once)
        return AIMessage("", tool_calls=[{"name": "pay", "args": {"iban": "DE44", "amount": 50000}, "id": "c1"}])

    def app() -> Any:
        flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"vfa-denials")
        model = ScriptedModel(rule=lambda ms: call() if sum(isinstance(m, AIMessage) for m in ms) < 2 else "done")
        return Agent(model, [pay], guards=[flow.guard()], flow=flow, world=lambda: world["bank"],
                     journal=EffectJournal(tmp_path / "journal.db")).compile()

    try:
        app().invoke({"messages": [HumanMessage("pay 50000 to DE44")]}, {"configurable": {"thread_id": "t"}})
    except KeyboardInterrupt:
        pass
    crash["on"], world["bank"] = False, Bank(balance=48213)
    out = app().invoke({"messages": [HumanMessage("pay 50000 to DE44")]}, {"configurable": {"thread_id": "t"}})
    tms = [m for m in out["messages"] if isinstance(m, ToolMessage)]
    assert len(tms) == 2 and tms[0].content == tms[1].content and "interrupted by a crash" in tms[0].content
    assert all("48213" not in m.content and "48213" not in str(m.artifact) for m in tms)
    # the started effect ends failed, as the journal's exactly-once commit knows an outcome: nothing runs it again
    kinds = [e.kind for e in EffectJournal(tmp_path / "journal.db").entries("t", call_id="c1")]
    assert kinds[-1] == "failed" and "denied" not in kinds


def test_how_many_values_a_denial_withholds_is_not_told():
    from vfa import Deny, FunctionGuard

    texts = []
    for blocked in (["DE11 2222", "DE33 4444"], ["DE11", "DE22", "DE33", "DE44", "DE55"]):
        flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"vfa-denials")
        guard = FunctionGuard(lambda p, c, b=blocked: Deny(reason=f"blocked accounts: {b}"), name="blocklist")
        model = ScriptedModel(rule=lambda ms: "done" if any(isinstance(m, ToolMessage) for m in ms) else ("post", {"content": "x"}))
        out = Agent(model, [post], guards=[guard, flow.guard()], flow=flow).compile().invoke(
            {"messages": [HumanMessage("post")]}, {"configurable": {"thread_id": "t"}})
        texts.append([m for m in out["messages"] if isinstance(m, ToolMessage)][-1].content)
    assert texts[0] == texts[1] == "post denied by guard 'blocklist': blocked accounts: ['‹withheld›']"


def test_the_nodes_own_refusal_is_known_by_the_entries_the_node_wrote():
    from types import SimpleNamespace

    from vfa._guard_node import refused_by_node

    def history(*kinds: str) -> list[Any]:
        return [SimpleNamespace(kind=k) for k in kinds]

    assert refused_by_node(history("proposed", "denied"))  # refused before any guard
    assert not refused_by_node(history("proposed", "verdicts", "denied"))  # a guard's denial
    # judged once, paused, then refused by the node on resume: a refusal, whatever came before
    assert refused_by_node(history("proposed", "verdicts", "escalated", "proposed", "denied"))
    assert not refused_by_node(history("proposed", "verdicts", "ran"))


def test_a_replica_reading_anothers_recovery_denial_shows_it_as_the_denial_it_is(tmp_path):
    # a call cut off by a crash: A's check denies it (the precondition quotes the balance) while B,
    # checking it a moment earlier, allowed it; B's commit then finds A's outcome and must not read
    # the reason out in clear
    from vfa import GuardNode

    bank = Policy(Bank)
    crash = {"on": True}

    @privacy_sink(disclose={"amount": "iban"}, authority=["iban", "amount"])
    @privacy_source()
    @effect(idempotent=True)
    @bank.requires("0 < amount <= state.balance")
    def pay(iban: str, amount: int) -> str:
        """Pay."""
        if crash["on"]:
            raise KeyboardInterrupt("power cut")
        return "paid"

    call = {"name": "pay", "args": {"iban": "DE44", "amount": 50000}, "id": "c1", "type": "tool_call"}
    state = {"messages": [HumanMessage("pay 50000 to DE44", id="h1"), AIMessage("", tool_calls=[call], id="a1")]}

    def node(world: Any) -> GuardNode:
        flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"vfa-denials")
        return GuardNode([pay], [flow.guard()], flow=flow, world=world, journal=EffectJournal(tmp_path / "j.db"))

    try:
        node(lambda: Bank(balance=90000)).handle(call, state, "t")
    except KeyboardInterrupt:
        pass
    crash["on"] = False
    replica_a, seen = node(lambda: Bank(balance=48213)), []

    def world_b() -> Bank:
        if not seen:
            seen.append(replica_a.handle(call, state, "t"))
        return Bank(balance=90000)

    shown_b = node(world_b).handle(call, state, "t")
    assert "48213" not in shown_b.content and shown_b.content == seen[0].content
    assert shown_b.artifact["vfa"]["outcome"] == "denied"
