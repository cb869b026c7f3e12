"""A grant or trusted pattern over file paths covers a path that climbs out of the folder it names.

`PrivacyPolicy.granted` and `trusts` match a record's sources with `fnmatch`, whose `*` matches any text,
slashes and dot segments too. A file tool keyed by the path it was asked for (`key="path"`), which opens
it as a file system does (`tax/../notes/diary.txt` is `notes/diary.txt`), labels the diary
`file:tax/../notes/diary.txt`: the grant `{cpa: ["file:tax/*"]}` (the policy docstring's own example, "the
accountant may read my tax folder") lets the model, or an injection steering it, read the diary under that
path and mail it to the accountant; the audit agrees. Likewise `trusted_sources=["file:templates/*"]`
trusts a file someone shared into `shared/`, read as `templates/../shared/invoice.txt`: its IBAN grounds
`pay`.

Why it matters: private data reaches a reader no grant the user wrote was meant to cover, and untrusted
content drives an authority argument; the path is a value the model chooses.

Expected: a pattern matches a source as written and with its dot segments resolved, so
`file:tax/../notes/diary.txt` is no source under `file:tax/*` (a path that stays in the folder, `tax/a/../w2.txt`,
still is).

Fixed: `PrivacyPolicy.granted` and `trusts` match a source as written and with the dot segments after its
kind resolved (".", "..", "%2e", either separator; a doubled slash climbs no level), both case kept.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

from langchain_core.messages import HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, audit_trace, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

USER, CPA = "emma@home.example", "cpa@tax.example"
DIARY = "Dear diary, I will quit my job at Acme in June and move to Lisbon."
ATTACKER_IBAN = "XX66EVIL0000000000000666"
FILES = {"tax/w2.txt": "W-2 2025, wages 84,300 USD.",
         "notes/diary.txt": DIARY,
         "templates/rent.txt": "Rent: 1200 to DE89370400440532013000.",
         "shared/invoice.txt": f"Invoice: please pay 1200 to {ATTACKER_IBAN}."}


def _tools(sent: list[Any], paid: list[Any]) -> list[Any]:
    @privacy_sink()
    @privacy_source(private=["content"], untrusted=["content"], handle=False, kind="file", key="path")
    def read_file(path: str) -> dict:
        """Read a file (the path resolved as a file system resolves it)."""
        return {"path": path, "content": FILES[posixpath.normpath(path)]}

    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @privacy_source()
    @effect
    def send_email(to: list[str], body: str) -> str:
        """Send a mail."""
        sent.append({"to": to, "body": body})
        return "sent"

    @privacy_sink(disclose={"amount": "iban"}, authority=["iban", "amount"])
    @privacy_source()
    @effect
    def pay(iban: str, amount: float) -> str:
        """Pay an amount to an IBAN."""
        paid.append({"iban": iban, "amount": amount})
        return "paid"

    return [read_file, send_email, pay]


def _mail_file(path: str) -> tuple[str, list[Any]]:
    """The model reads `path` and mails what it read to the CPA: the mail's outcome and what was sent."""
    sent: list[Any] = []
    flow = PrivacyFlow(PrivacyPolicy.of(USER, grants={CPA: ["file:tax/*"]}), secret=b"rt171")

    def rule(messages: list[Any]) -> Any:
        turn = sum(m.type == "ai" for m in messages)
        if turn == 0:
            return ("read_file", {"path": path})
        if turn == 1:
            read = json.loads([m for m in messages if isinstance(m, ToolMessage)][-1].content)
            return ("send_email", {"to": [CPA], "body": read["content"]})
        return "done"

    app = Agent(ScriptedModel(rule=rule), _tools(sent, []), guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(f"Send my file to {CPA}.")]}, {"configurable": {"thread_id": "t"}})
    return [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].artifact["vfa"]["outcome"], sent


def test_a_grant_of_the_tax_folder_does_not_cover_a_path_climbing_out_of_it() -> None:
    outcome, sent = _mail_file("tax/../notes/diary.txt")
    assert outcome == "denied" and not sent, f"the diary reached the CPA under 'file:tax/*': {sent}"


def test_the_audit_reports_the_diary_mailed_to_the_cpa() -> None:
    trace = [{"type": "user", "content": f"Send my file to {CPA}."},
             {"type": "call", "id": "c1", "tool": "read_file", "args": {"path": "tax/../notes/diary.txt"}},
             {"type": "result", "id": "c1", "tool": "read_file",
              "result": {"path": "tax/../notes/diary.txt", "content": DIARY}},
             {"type": "call", "id": "c2", "tool": "send_email", "args": {"to": [CPA], "body": DIARY}}]
    found = audit_trace(trace, _tools([], []), PrivacyPolicy.of(USER, grants={CPA: ["file:tax/*"]}))
    assert [v.rule for v in found if v.call_id == "c2"] == ["confidentiality"]


def _pay_as_read(path: str, iban: str) -> tuple[str, list[Any]]:
    """The model reads `path` under a policy trusting `file:templates/*` and pays 1200 to `iban`."""
    paid: list[Any] = []
    flow = PrivacyFlow(PrivacyPolicy.of(USER, trusted_sources=["file:templates/*"]), secret=b"rt171")
    steps = [("read_file", {"path": path}), ("pay", {"iban": iban, "amount": 1200})]
    app = Agent(ScriptedModel(steps), _tools([], paid), guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("Pay the rent as my template says.")]},
                     {"configurable": {"thread_id": "t"}})
    return [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].artifact["vfa"]["outcome"], paid


def test_a_trusted_folder_does_not_vouch_for_a_shared_file_read_through_it() -> None:
    outcome, paid = _pay_as_read("templates/../shared/invoice.txt", ATTACKER_IBAN)
    assert outcome == "denied" and not paid, f"a shared file's IBAN was trusted as a template's: {paid}"


def test_the_pattern_matches_as_resolved_on_every_spelling_of_a_dot_segment() -> None:
    policy = PrivacyPolicy.of(USER, grants={CPA: ["file:tax/*"]}, trusted_sources=["file:tax/*"])
    for climbing in ("file:tax/../notes/diary.txt", "file:tax/./../notes/diary.txt", "file:tax/x/../../notes/d",
                     "file:tax/%2e%2e/notes/diary.txt", "file:tax\\..\\notes\\diary.txt", "file:tax/.."):
        assert not policy.granted([climbing]) and not policy.trusts([climbing]), climbing


def test_control_paths_that_stay_in_the_folder_are_granted() -> None:
    outcome, sent = _mail_file("tax/w2.txt")
    assert outcome == "committed" and sent
    assert _mail_file("notes/diary.txt")[0] == "denied"
    assert _pay_as_read("templates/rent.txt", "DE89370400440532013000")[0] == "committed"
    assert _pay_as_read("shared/invoice.txt", ATTACKER_IBAN)[0] == "denied"
    policy = PrivacyPolicy.of(USER, grants={CPA: ["file:tax/*"]}, trusted_sources=["file:tax/*"])
    for inside in ("file:tax/w2.txt", "file:tax/a/../w2.txt", "file:tax/./w2.txt", "file:tax/v1..2.txt"):
        assert policy.granted([inside]) == {CPA} and policy.trusts([inside]), inside
