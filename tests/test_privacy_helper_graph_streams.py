"""A plain-function tool that runs a LangGraph helper graph puts the values behind handles on the app's
streams (`subgraphs=True`).

docs/privacy.md "Logs": "the graph's streams (`stream_mode` updates, values, messages, debug), its checkpoints ...
show handles only", and (this session) "under a flow the node runs a plain function without the run's
callbacks, so what it runs through LangChain ... reports the values it is given to no stream or tracer of
the run". `_without_callbacks` drops the callbacks only: the configurable it keeps holds the run's stream
(`__pregel_stream`) and checkpointer (`__pregel_checkpointer`), which a graph invoked inside the tool
inherits. So a helper graph (a drafting step, a small agent used by the tool) given the SSN the model holds
as a handle streams its state, holding the SSN in clear, on the app's `values`, `updates` and `debug`
streams under its namespace ("tools:<task>") when the app streams with `subgraphs=True` (and the
checkpointer keeps them: `tests/test_privacy_helper_graph_checkpoints_limit.py`).

What must hold: with plain-function tools under a flow, no chunk of the app's streams (also with
`subgraphs=True`) holds a value the model holds as a handle.

Fixed: `_without_callbacks` also leaves the run's stream (`CONFIG_KEY_STREAM`) out of the configurable the
plain function runs under; a graph it runs streams to its own caller only.

Fixed: _without_callbacks also drops the run's stream (CONFIG_KEY_STREAM) from configurable.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage

from tests._helper_graph_app import CFG, SSN, helper_app


def test_a_helper_graph_run_by_a_plain_tool_streams_no_value_behind_a_handle():
    sent: list[str] = []
    app, _ = helper_app(sent)
    chunks = list(app.stream({"messages": [HumanMessage("mail me my ssn")]}, CFG,
                             stream_mode=["updates", "values", "messages", "debug"], subgraphs=True))
    assert sent == [f"Dear me: {SSN}"]  # the effect and its helper got the value, as they must
    assert SSN not in repr(app.get_state(CFG).values)  # the app's state holds handles only
    leaked = sorted({(ns, mode) for ns, mode, chunk in chunks if SSN in repr(chunk)})
    assert leaked == [], f"the app's streams show the SSN the model holds as a handle: {leaked}"

