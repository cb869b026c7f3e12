"""Names and flags given where an agent, a plan or a retrofit is declared are checked there: a number, an
empty text or a flag that is no bool would otherwise be read by truth or as letters and change, silently,
what is guarded (a private field named 1 keeps nothing private; `check=None` skips the coverage check)."""

import pytest
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

import graphs
from guards import Step, privacy_sink, privacy_source, verify_plan
from vfa import Agent, ConfigError, ToolSpec, effect
from vfa.testing import ScriptedModel


@effect
def send(to: str) -> str:
    """Send a note."""
    return "sent"


def _builder() -> StateGraph:
    b = StateGraph(MessagesState)
    b.add_node("tools", ToolNode([send]))
    b.add_edge(START, "tools")
    return b


@pytest.mark.parametrize("name", [5, "", "  ", None])
def test_agent_name_is_text(name):
    with pytest.raises(TypeError, match="name must be non-empty text"):
        Agent(ScriptedModel([]), [send], name=name)


def test_agent_name_given_is_the_graphs():
    assert Agent(ScriptedModel([]), [send], name="mailer").compile().name == "mailer"


@pytest.mark.parametrize("args", [(5,), ("",), ("send", 5), ("send", ["to"])])
def test_step_tool_is_a_name_and_args_a_mapping(args):
    with pytest.raises(TypeError, match="a step's tool must be a name"):
        Step(*args)


def test_plan_of_raw_steps_still_checked_per_step():
    result = verify_plan([("send", {"to": "a"}), (5, {})], [send])
    assert not result.ok and result.failed_step == 1 and "no step" in result.explanation


@pytest.mark.parametrize("check", [None, "no", 0, 1])
def test_guard_graph_check_is_a_bool(check):
    with pytest.raises(TypeError, match="check must be True or False"):
        graphs.guard_graph(_builder(), check=check)


@pytest.mark.parametrize("what", ["read_only", "effect_nodes"])
@pytest.mark.parametrize("given, says", [("tools", "got the string 'tools'"), (5, "not int 5"),
                                         ([None], "holds NoneType None"), ([""], "holds str ''")])
def test_guard_graph_name_lists(what, given, says):
    with pytest.raises(ConfigError, match=f"{what} must be a list of names.*{says}"):
        graphs.guard_graph(_builder(), **{what: given})


def test_coverage_read_only_named_like_the_gate():
    with pytest.raises(ConfigError, match="read_only must be a list of names, not int 7"):
        graphs.check_coverage(graphs.guard_graph(_builder()), read_only=7)


@pytest.mark.parametrize("kw", [dict(private=[1]), dict(private=[b"ssn"]), dict(handle=[None]),
                                dict(untrusted=["ok", 2]), dict(readers_from=[b"to"])])
def test_privacy_source_names_are_texts(kw):
    with pytest.raises(TypeError, match="must be a list of names \\(texts\\)"):
        privacy_source(**kw)


def test_privacy_sink_names_are_texts():
    with pytest.raises(TypeError, match="authority must be a list of names"):
        privacy_sink(authority=[3])


def test_privacy_source_reads_a_generator_once():
    @privacy_source(private=(f for f in ["ssn"]))
    def lookup(who: str) -> dict:
        """Look someone up."""
        return {"ssn": "1", "name": who}

    assert ToolSpec.of(lookup).meta["privacy_source"].private == frozenset({"ssn"})
