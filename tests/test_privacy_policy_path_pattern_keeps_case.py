"""A file or URL pattern holding a second ":" and an "@" is lower-cased as if it named a mailbox.

docs/privacy.md "A policy names people": a pattern's mailbox (`email:from:Larry@Rent.example`) is read in any
case, but "a file's path keeps its case". `_folded` lower-cases everything after a pattern's second
colon whenever it holds an "@", so a URL-keyed document (`doc:https://files.example/Alice/Shared@Carol/*`)
or a Windows path (`file:C:/Users/Alice/Shared@Carol/*`) is folded: the grant no longer matches the very
documents the user named (a silent non-grant; a trusted pattern vouches for none of them), and it
matches another path, `.../alice/shared@carol/...`, which a case-sensitive server or file system keeps
apart (an over-grant, and an untrusted page vouched for). A path or URL holds slashes; a mailbox none.

Fixed: `_folded` leaves a pattern with a slash after its field (a path, a URL) as written.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import HumanMessage, ToolMessage

from _mail import mail_effect

from benchmarks.privacy.world import CAROL, USER
from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

URL = "https://files.example/Alice/Shared@Carol/q1.txt"
PATTERNS = ["doc:https://files.example/Alice/Shared@Carol/*", "file:C:/Users/Alice/Shared@Carol/*"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_path_pattern_keeps_its_case(pattern: str) -> None:
    policy = PrivacyPolicy.of(USER, grants={CAROL: [pattern]}, trusted_sources=[pattern])
    named = pattern.replace("*", "q1.txt")
    assert policy.granted([named]) == {CAROL} and policy.trusts([named])


@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_path_pattern_names_no_other_case(pattern: str) -> None:
    policy = PrivacyPolicy.of(USER, grants={CAROL: [pattern]}, trusted_sources=[pattern])
    kind, field, rest = pattern.replace("*", "q1.txt").split(":", 2)
    other = f"{kind}:{field}:{rest.lower()}"  # the path the folded pattern names
    assert not policy.granted([other]) and not policy.trusts([other])


def test_control_a_mailbox_pattern_is_read_in_any_case() -> None:
    policy = PrivacyPolicy.of(USER, trusted_sources=["email:from:Larry@Rent.example"])
    assert policy.trusts(["email:from:larry@rent.example"])


def _mail_doc_to_carol(pattern: str) -> str:
    @privacy_sink()
    @privacy_source(private=["text"], kind="doc", key="url", handle=False)
    def read_doc(url: str) -> dict:
        """Read a document."""
        return {"url": url, "text": "Q1 revenue 4,210,775 EUR, layoffs in Lyon planned"}

    flow = PrivacyFlow(PrivacyPolicy.of(USER, grants={CAROL: [pattern]}), secret=b"policy-people-doc")
    steps = [("read_doc", {"url": URL}),
             ("send_email", {"to": [CAROL], "body": "Q1 revenue 4,210,775 EUR, layoffs in Lyon planned"})]
    app = Agent(ScriptedModel(steps), [read_doc, mail_effect([])], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(f"Send {CAROL} the Q1 document.")]}, {"configurable": {"thread_id": "t"}})
    return [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].artifact["vfa"]["outcome"]


def test_the_granted_document_may_go_to_its_reader() -> None:
    assert _mail_doc_to_carol(PATTERNS[0]) == "committed"


def test_control_no_grant_denies() -> None:
    assert _mail_doc_to_carol("doc:https://files.example/Bob/*") == "denied"
