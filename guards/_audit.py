"""Audit: run the privacy checker over a recorded trace and report every flow violation in it.

The same `PrivacyFlow` labelling and the same `PrivacyGuard.violations` the live guard uses, driven by
a recorded trace instead of a graph, so logs of agents that ran without vfa can be checked after the
fact, and a vfa run's journal gives the same violations its guard reported.

A trace is a list of events, oldest first:

    {"type": "user", "content": "..."}
    {"type": "call", "id": "c1", "tool": "send_email", "args": {...}}
        (optionally "written": {...}, the call as the model wrote it when a person edited it before any
        guard saw it, a reviewer's middleware: what the edit holds that it does not is the user's word;
        and "again": true, the call checked again as it was, its task resumed once a person answered:
        a violation it found before is reported once, as found the last time)
    {"type": "result", "id": "c1", "tool": "send_email", "result": ...}
        (optionally "shape": "records", "text" or "unknown": a result a `ToolNode` turned into text,
        read as the live flow read it; `trace_from_journal` gives it for a retrofitted graph's calls;
        and "reprs": {repr: str}, the strings that stood for values JSON cannot carry, a `Decimal`, a
        date, an object, labelled whole as live: both `trace_from_*` give it as the run recorded it; and
        "readers": [...] and "trusted": true/false, how the live flow labelled a result it showed as one
        handle, hidden whole (["*"]: anyone may read it), which `trace_from_messages` gives from the gate's
        message: the messages hold the handle alone)
    {"type": "error", "id": "c1", "tool": "send_email", "error": "..."}   (a tool's failure, as the model read it)
    {"type": "unobserved", "id": "c0", "tool": "read_file"}   (a result the model read that no record holds)

After an "unobserved" result, what the model knows is unknown: every later argument is labelled
private to the user and untrusted, as the live guard labels it (it denies rather than guess).
"""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    HumanMessage,
    ToolMessage,
    convert_to_messages,
)
from pydantic import ConfigDict, create_model

from vfa import ConfigError, Label, Proposal, ToolSpec
from vfa._guard_node import content_digest, refused_edit
from vfa._journal import with_reprs
from vfa._tools import RESULT_SHAPE, ArgumentError, as_asked, validated_by_value

from ._flow import PrivacyFlow
from ._forms import _is_text_block, _message_text
from ._privacy import FlowViolation, PrivacyGuard
from ._privacy_decl import PUBLIC_SINK, PrivacyPolicy
from ._recorded import TraceError, standard
from ._threads import (
    _NO_RESULT,
    UNOBSERVED,
    _written_by_a_node,
    echoes_its_call,
    provider_ran,
    results_elsewhere,
    users_text,
)

__all__ = ["TraceError", "audit_trace", "trace_from_journal", "trace_from_messages"]


_KEYS = {"user": {"type", "content"}, "call": {"type", "id", "tool", "args", "written", "within", "again"},
         "result": {"type", "id", "tool", "result", "shape", "reprs", "readers", "trusted"}, "error": {"type", "id", "tool", "error"},
         "unobserved": {"type", "id", "tool"}}
"""The keys each kind of event may have."""
_KINDS = tuple(_KEYS)


def audit_trace(trace: Iterable[Mapping[str, Any]], tools: Sequence[Any], policy: PrivacyPolicy | None = None, *,
                flow: PrivacyFlow | None = None, thread_id: str = "audit") -> list[FlowViolation]:
    """Every flow violation in a recorded trace, in the order the calls were made.

    Every flow the policy forbids is reported, also one a person approved when the agent ran (an
    approval declassifies a flow for that user; the audit says what flowed where): read the journal's
    `approved` entries beside it. Raises `TraceError` for an event it cannot read (an unknown type, a
    call without an id or tool, arguments that are no object, a result for no call, a result naming
    another tool than its call, a value nested too deep or that is no JSON value): an audit that
    skipped what it could not read would report a clean trace.

    Args:
        trace: user messages, tool calls and tool results (see the module docstring).
        tools: the tools the agent had, with their privacy declarations.
        policy: the user's policy (ignored when `flow` is given).
        flow: the flow to label with; default a fresh one without handles, which tracks every private
            value by content (an agent without vfa saw them in clear). Give a flow with the live run's
            secret and `thread_id` to audit a vfa journal whose arguments hold handles.
        thread_id: the thread the trace belongs to (as the run's config names it: an int is its text).
    """
    if isinstance(trace, (str, bytes, Mapping)) or not isinstance(trace, Iterable):
        raise TraceError(f"a trace is a list of events, not a {type(trace).__name__}")
    thread_id = _thread_of(thread_id)
    flow = flow or PrivacyFlow(policy, handles=False)
    guard = PrivacyGuard(flow)
    specs = {s.name: s for s in map(ToolSpec.of, tools)}
    shaped: dict[tuple[str, str], ToolSpec] = {}
    undeclared: dict[str, ToolSpec | None] = {}
    users: list[str] = []
    seen: set[str] = set()
    calls: dict[str, Proposal] = {}  # a result is labelled with its call's argument labels, as live
    written: dict[str, Any] = {}  # call -> its arguments as the model wrote them, which a person's edit is told from
    open_: dict[str, str] = {}  # an id as the trace gives it -> the call awaiting its result under it
    found: list[FlowViolation] = []
    checked: dict[str, list[int]] = {}  # call -> where in `found` its last check (not again) put its violations
    unobserved: list[str] = []  # results no record holds: every later argument may carry anything
    for at, event in enumerate(trace):
        kind = event.get("type") if isinstance(event, Mapping) else None
        if kind not in _KINDS:
            what = f"type {kind!r}" if isinstance(event, Mapping) else f"a {type(event).__name__}"
            raise TraceError(f"event {at}: {what} is no event (an event is a mapping whose type is one of "
                             f"{', '.join(_KINDS)})")
        unknown = sorted(map(str, set(event) - _KEYS[kind]))
        if unknown:
            raise TraceError(f"event {at}: a {kind} event has no {', '.join(map(repr, unknown))} (its keys are "
                             f"{', '.join(sorted(_KEYS[kind]))})")
        try:
            if kind == "user":
                users.append(_text_of(event.get("content", "")))
            elif kind == "unobserved":
                raw_id = event.get("id")
                if not isinstance(raw_id, (str, int)):
                    raise TraceError(f"event {at}: an unobserved result without the id of its call")
                unobserved.append(str(raw_id))
                open_.pop(str(raw_id), None)  # its call (if any) gets no result after this
            elif kind == "call":
                raw_id, tool, args = _call_of(at, event)
                # an id used again (some providers number calls per turn) names a call of its own, under a
                # name no call before it has (the trace may give "a#5" itself); again before its result, it
                # is the call as a person edited it: the same call (its handles are minted under its id)
                call_id, n = open_.get(raw_id, raw_id), at
                while call_id in calls and raw_id not in open_:
                    call_id, n = f"{raw_id}#{n}", n + 1
                edit = raw_id in open_
                # checked again as it was (its task resumed once a person answered): the same arguments only
                again = edit and event.get("again") is True and calls[call_id].raw_args == args
                open_[raw_id] = call_id
                raw_args, args = args, _validated(specs.get(tool), args, flow, thread_id)
                # "written": the model's call, when a person edited it before any guard saw it (a reviewer's middleware)
                reviewed = not edit and isinstance(event.get("written"), Mapping)
                if not edit:
                    written[call_id] = dict(event["written"]) if reviewed else raw_args
                within = _made_from(at, event.get("within"))
                labels = flow.label_args(args, thread_id, users if within is None else within[0], set(seen), raw_args,
                                         edited_from=as_asked(specs.get(tool), written.get(call_id)) if edit or reviewed else None,
                                         made_from=None if within is None else within[1])
                if unobserved:  # as the live flow labels a call after results it never labelled
                    blind = Label(readers=frozenset(flow.policy.user), trusted=False, sources=frozenset(
                        f"unobserved-result:{c}" for c in sorted(set(unobserved))[:3]))
                    labels = {name: lbl.join(blind) for name, lbl in labels.items()}
                proposal = calls[call_id] = Proposal(call_id=call_id, tool=tool, args=args, raw_args=raw_args,
                                                     labels=labels, thread_id=thread_id)
                got = [v if v.call_id == raw_id else dataclasses.replace(v, call_id=raw_id)  # as the trace names it
                       for v in guard.violations(proposal, specs.get(tool), set(seen))]
                if not again:
                    checked[call_id] = list(range(len(found), len(found) + len(got)))
                    found.extend(got)
                    continue
                # checked again as it was (live, once a person answered): the same arguments, each violation
                # found again reported once, as it was found the last time (what came since may join it:
                # recipients added); one check may find several of a rule and argument (a cut, one per
                # recipient), each replacing its own, never another's
                at_ = checked.setdefault(call_id, [])
                taken: set[int] = set()
                for v in got:
                    k = next((k for k in at_ if k not in taken and (found[k].rule, found[k].arg, found[k].sink) ==
                              (v.rule, v.arg, v.sink) and set(found[k].recipients) <= set(v.recipients)), None)
                    if k is None:
                        at_.append(len(found))
                        found.append(v)
                    else:
                        found[k] = v
                    taken.add(len(found) - 1 if k is None else k)
            else:
                raw_id = event.get("id")
                call_id = open_.pop(str(raw_id), None) if isinstance(raw_id, (str, int)) else None
                if call_id is None:
                    raise TraceError(f"event {at}: a {kind} for call id {raw_id!r}, which no call before it "
                                     "made (or whose result came already)")
                proposal = calls[call_id]
                named = event.get("tool")
                if named is not None and named != proposal.tool:
                    raise TraceError(f"event {at}: the {kind} of call {raw_id!r} names tool {named!r}, but the "
                                     f"call was to {proposal.tool!r}")
                # a tool `tools` does not hold (an effect node, `guard_graph(effect_nodes=...)`) is judged live as one
                # without declarations: it published its arguments, which a value cut across calls may join
                spec = specs.get(proposal.tool) or _undeclared(proposal.tool, undeclared)
                if kind == "result":
                    if "result" not in event:
                        raise TraceError(f"event {at}: a result without its \"result\"")
                    if "shape" in event:
                        spec = _shaped(at, spec, event["shape"], shaped)
                    result = with_reprs(_json_value(at, event["result"]), _reprs(at, event))
                    # the one handle the live flow showed for a result it hid whole (it showed a value the
                    # model may see only as a handle): hidden again, never read in clear; a gate shows it as one
                    # text block where the tool's content is blocks (a list result under `create_agent`)
                    token = result[0].get("text") if (
                        isinstance(result, list) and len(result) == 1 and isinstance(result[0], dict)
                        and result[0].keys() == {"type", "text"} and result[0]["type"] == "text") else result
                    hidden = flow.handles and isinstance(token, str) and token in {
                        flow.store.token(thread_id, c, "$", proposal.tool) for c in (call_id, str(raw_id))}
                    if hidden:
                        result = token
                    flow.observe(proposal, spec, result, hidden=hidden, hidden_as=_hidden_as(at, event))
                else:
                    flow.observe_error(proposal, spec, _text_of(event.get("error", "")))
                if not flow.labelled(thread_id, call_id):  # live, a placeholder; the model of a log read it whole
                    raise TraceError(f"event {at}: a {kind} the flow cannot label (nested too deep, or a value "
                                     "that cannot be read)")
                seen.add(call_id)
        except TraceError:
            raise
        except RecursionError:
            raise TraceError(f"event {at}: a value nested too deep to read") from None
        except (TypeError, ValueError) as exc:  # a circular value, say
            raise TraceError(f"event {at}: {type(exc).__name__}: {exc}") from None
    return found


def _undeclared(tool: str, made: dict[str, ToolSpec | None]) -> ToolSpec | None:
    """A tool the audit was not given, as the live gate declares an effect node (no privacy declaration, any
    arguments): what it ran disclosed its arguments to everyone, as its check read them; made once per name
    (None for a name no tool could have)."""
    if tool not in made:
        try:
            made[tool] = ToolSpec(name=tool, description=f"{tool} (undeclared)", args_model=_ANY_ARGS,
                                  fn=_never_run, is_effect=True)
        except ConfigError:
            made[tool] = None
    return made[tool]


_ANY_ARGS = create_model("undeclared_args", __config__=ConfigDict(extra="allow"))


def _never_run(**args: Any) -> Any:
    raise TypeError("an audit runs no tool")


def _made_from(at: int, within: Any) -> tuple[list[str], Label] | None:
    """A call event's "within" (a call made from inside another call's effect): the user's words of its
    outermost conversation, and the label of what it was made from."""
    if within is None:
        return None
    users = within.get("user") if isinstance(within, Mapping) else None
    if not isinstance(users, list) or not all(isinstance(u, str) for u in users):
        raise TraceError(f"event {at}: a call's \"within\" holds \"user\", the user's words (a list of strings)")
    try:
        return users, Label.model_validate(within.get("label"))
    except ValueError:  # pydantic's ValidationError
        raise TraceError(f"event {at}: a call's \"within\" holds \"label\", a label (readers, sources, trusted)") from None


def _shaped(at: int, spec: ToolSpec | None, shape: Any, made: dict[tuple[str, str], ToolSpec]) -> ToolSpec | None:
    """The spec of a tool whose result reached the flow as text of the given shape (`RESULT_SHAPE`), as a
    retrofitted `ToolNode`'s tool is read live; made once per tool and shape."""
    if shape not in _SHAPES:
        raise TraceError(f"event {at}: a result's shape is one of {', '.join(_SHAPES)}, not {shape!r}")
    if spec is None:
        return None
    key = (spec.name, shape)
    if key not in made:
        made[key] = copy.copy(spec)
        made[key].meta = {**spec.meta, RESULT_SHAPE: shape}
    return made[key]


_SHAPES = ("records", "text", "unknown")


def _validated(spec: ToolSpec | None, args: dict[str, Any], flow: PrivacyFlow, thread_id: str) -> dict[str, Any]:
    """Recorded arguments as the guard node checked them (`validated_by_value`: a call that fits only by
    the values behind its handles gets the schema's defaults, a default recipient, as live); as
    recorded when they do not validate (a call the node refused, or one an agent without vfa ran)."""
    if spec is None:
        return args
    try:
        return validated_by_value(spec, args, flow, thread_id)[0]
    except ArgumentError:
        return args


def _call_of(at: int, event: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """A call event's id, tool and arguments, or `TraceError`."""
    call_id, tool, args = event.get("id"), event.get("tool"), event.get("args", {})
    if not isinstance(call_id, (str, int)) or str(call_id) == "":
        raise TraceError(f"event {at}: a call without an id")
    if not isinstance(tool, str) or not tool:
        raise TraceError(f"event {at}: call {call_id!r} names no tool")
    if isinstance(args, str):  # arguments as JSON text, as some providers give them
        try:
            args = json.loads(args)
        except ValueError:
            raise TraceError(f"event {at}: the arguments of call {call_id!r} are text that is no JSON") from None
    if args is None:
        args = {}
    if not isinstance(args, Mapping) or not all(isinstance(k, str) for k in args):
        raise TraceError(f"event {at}: the arguments of call {call_id!r} are no object "
                         f"({type(args).__name__}); give them as a mapping of names to values")
    _json_value(at, args)
    return str(call_id), tool, dict(args)


def _reprs(at: int, event: Mapping[str, Any]) -> dict[str, str] | None:
    """A result's "reprs" (the strings that stood for values JSON cannot carry, each with its `str`), checked."""
    reprs = event.get("reprs")
    if reprs is None:
        return None
    if not isinstance(reprs, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in reprs.items()):
        raise TraceError(f"event {at}: a result's \"reprs\" maps each repr to its text (strings to strings)")
    return dict(reprs)


def _thread_of(thread_id: Any) -> str:
    """A thread id as the guard node keys it (`thread_key`): an int or a UUID is its text; `TypeError` for None."""
    if thread_id is None:
        raise TypeError("thread_id must name the conversation to audit (its config's thread_id), not None")
    return str(thread_id)


def _hidden_as(at: int, event: Mapping[str, Any]) -> Label | None:
    """A result's "readers" and "trusted" (how the live flow labelled a result it showed as one handle),
    checked, as the label to give its handle again; None where the event has neither."""
    readers, trusted = event.get("readers"), event.get("trusted")
    if readers is None and trusted is None:
        return None
    if not isinstance(readers, list) or not all(isinstance(r, str) for r in readers):
        raise TraceError(f"event {at}: a result's \"readers\" is a list of principals (strings)")
    if not isinstance(trusted, bool):
        raise TraceError(f"event {at}: a result's \"trusted\" is true or false, beside its \"readers\"")
    return Label(readers=None if PUBLIC_SINK in readers else frozenset(readers), trusted=trusted)


def _json_value(at: int, value: Any) -> Any:
    """`value` if JSON can hold it (as a recorded trace's values are), else `TraceError`."""
    try:
        json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise TraceError(f"event {at}: a value that is no JSON value ({exc})") from None
    return value


def trace_from_messages(messages: Iterable[Any], *, structured: Collection[str] = ()) -> list[dict[str, Any]]:
    """A trace from a LangChain conversation: what an agent without vfa leaves behind.

    Messages, or anything `convert_to_messages` reads (role dicts, tuples). A human message a node wrote from the
    conversation (LangChain marks its summaries `lc_source`) is no user message, as live; nor is it a
    result: from the messages alone a thread's own summary and one seeded from elsewhere look the same
    (the journal's audit knows which the live flow first saw).

    `structured`: the names of the agent's structured-answer tools (its `ToolStrategy` schemas'), whose
    calls are the model's answer to the user and ran no tool: left out with their replies, as a
    `GuardMiddleware` marks them live (`{"outcome": "structured"}`, left out without being named)."""
    _no_text(messages, "messages")
    try:
        messages = convert_to_messages(list(messages))
    except (ValueError, TypeError, KeyError, NotImplementedError) as exc:
        raise TraceError(f"messages that are no LangChain messages: {exc}") from None
    messages = standard(messages)
    if not isinstance(structured, Iterable):
        raise TypeError(f"structured must be the names of the structured-answer tools, not {structured!r:.80}")
    structured = frozenset((structured,) if isinstance(structured, str) else structured)
    out: list[dict[str, Any]] = []
    names: dict[str, str] = {}
    placed: set[int] = set()  # tool messages already placed after their call
    answered: set[tuple[str, str, str]] = set()  # calls with a result: made again, a guard node replays them
    came: set[str] = set()  # the calls whose results are placed
    # calls checked again live once a person answered (their task resumed after other calls of their turn
    # ran, `"after"`): (the results still to come before, the call given again with its edits and result)
    held: list[tuple[set[str], list[dict[str, Any]]]] = []

    def place(events: list[dict[str, Any]] | None) -> None:
        # what each placing releases is placed at once, before the rest it releases: depth first, on a
        # stack of our own (a log may chain its calls' "after" thousands deep)
        stack: list[Any] = []
        while True:
            if events is not None:
                out.extend(events)
                came.update(str(e["id"]) for e in events if e["type"] != "call")
                stack.append(iter(list(held)))
                events = None
            if not stack:
                return
            for waits, later in stack[-1]:
                waits.difference_update(came)
                if not waits and (waits, later) in held:
                    held.remove((waits, later))
                    events = later
                    break
            else:
                stack.pop()

    def release() -> None:  # what a call waited for never came: it is checked again where its turn ends
        while held:
            place(held.pop(0)[1])

    for i, m in enumerate(messages):
        if isinstance(m, (HumanMessage, AIMessage)):
            release()
        if isinstance(m, HumanMessage):
            if not _written_by_a_node(m):
                out.append({"type": "user", "content": _message_text(m.content)})
        elif isinstance(m, AIMessage):
            # the tools the provider ran inside the turn: results no record holds, read before its calls
            out += [{"type": "unobserved", "id": c, "tool": ""} for c in provider_ran(m)]
            # the results of a turn come before the next turn: each is placed right after its call, as a
            # guard node labels a turn's calls one after the other, each after the results before it
            answers: dict[str, list[int]] = {}
            more = False  # whether the conversation goes on past this turn
            for k in range(i + 1, len(messages)):
                later = messages[k]
                if isinstance(later, AIMessage):
                    more = True
                    break
                if isinstance(later, ToolMessage):
                    answers.setdefault(str(later.tool_call_id), []).append(k)
            for c in m.invalid_tool_calls:  # arguments that did not parse: never run, LangChain's reply no result
                for k in answers.get(str(c.get("id") or ""), ())[:1]:
                    if _echo(messages, k):
                        placed.add(k)
            for c in m.tool_calls:
                # (a call without an id is answered under "", as the guard node refuses it)
                ks = answers.get(str(c["id"] or ""))
                # one id given twice in a turn (the model chooses ids): each call the message its node named
                # after its tool, else the first left
                k = ks.pop(next((j for j, x in enumerate(ks) if messages[x].name == c["name"]), 0)) if ks else None
                if k is not None and _outcome(messages[k])[1]:
                    placed.add(k)  # refused by the node before any guard: never checked live, never ran
                    continue
                if c["name"] in structured or (k is not None and _outcome(messages[k])[0] == "structured"):
                    if k is not None:
                        placed.add(k)  # the model's structured answer: no tool, nothing checked live
                    continue
                try:
                    key = (str(c["id"]), str(c["name"]), json.dumps(c["args"], sort_keys=True, default=repr))
                except RecursionError:
                    raise TraceError(f"the arguments of call {c['id']!r} are nested too deep to read") from None
                if key in answered and k is not None and _outcome(messages[k])[0] is not None:
                    placed.add(k)  # the same call again, answered by a guard node from its journal: never judged again
                    continue
                tool, reviewed, by_person = _reviewed(messages[k]) if k is not None else (None, None, False)
                tool = tool or c["name"]
                names[c["id"]] = tool
                if reviewed is not None:  # changed before the guards saw it (a person's edit?): checked so, as live
                    out.append({"type": "call", "id": c["id"], "tool": tool, "args": reviewed,
                                **({"written": c["args"]} if by_person else {})})
                else:
                    out.append({"type": "call", "id": c["id"], "tool": tool, "args": c["args"]})
                if k is None:
                    if more:  # no result, yet the conversation went on (a question left unanswered): whether it
                        # ran and what it showed is not known here (the journal knows), so later calls may carry anything
                        place([{"type": "unobserved", "id": c["id"], "tool": tool}])
                    continue
                placed.add(k)
                answered.add(key)
                waits, again = _after(messages[k])
                waits -= came
                # what was checked live after the results it waited for (if any): the call as proposed again, and
                # each edit a person gave
                later = [{**out[-1], "again": True}] if again and waits else []
                later += [{"type": "call", "id": c["id"], "tool": tool, "args": edited} for edited in _edited(messages[k])]
                if not _echo(messages, k):  # as live: the agent's echo of the call shows no result
                    later += _result_of(messages[k], tool)
                if waits:
                    held.append((waits, later))
                else:
                    place(later)
        elif isinstance(m, ToolMessage) and i not in placed:
            place(_result_of(m, names.get(m.tool_call_id) or m.name or ""))
    release()
    return out


def _after(m: ToolMessage) -> tuple[set[str], bool]:
    """For a call its guard node checked again once a person answered (its task resumed after other calls
    of its turn ran, `"after"` in the node's message): the calls whose results it had then, and whether
    it checked the call as proposed again (else it resumed on the person's edit)."""
    info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
    after = info.get("after") if isinstance(info, dict) else None
    calls = after.get("calls") if isinstance(after, dict) else None
    if not isinstance(calls, list):
        return set(), False
    return {str(c) for c in calls}, after.get("again") is True


def _echo(messages: Sequence[Any], at: int) -> bool:
    """Whether the tool message at `at` is no guard node's and only echoes its call (`echoes_its_call`):
    the live flow takes it for no result."""
    m = messages[at]
    return not (isinstance(m.artifact, dict) and isinstance(m.artifact.get("vfa"), dict)) and echoes_its_call(messages, at)


def _reviewed(m: ToolMessage) -> tuple[str | None, dict[str, Any] | None, bool]:
    """The tool and arguments of a call as it reached its guards changed (a middleware's rewrite), as its
    guard node's message records them, or Nones; and whether a person made the change (a reviewer's edit)."""
    info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
    reviewed = info.get("reviewed") if isinstance(info, dict) else None
    args = reviewed.get("args") if isinstance(reviewed, dict) else None
    if not isinstance(args, dict):
        return None, None, False
    tool = reviewed.get("tool")
    return (tool if isinstance(tool, str) else None), args, "written" in reviewed


def _edited(m: ToolMessage) -> list[dict[str, Any]]:
    """The arguments of each edit a person gave a call that its guards checked, as its guard node's
    message records them ("edits" when there were several, else the last edit's "args")."""
    info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
    if not isinstance(info, dict):
        return []
    edits = info.get("edits")
    if isinstance(edits, list) and edits and all(isinstance(a, dict) for a in edits):
        return edits
    args = info.get("args")
    return [args] if isinstance(args, dict) else []


def _outcome(m: ToolMessage) -> tuple[str | None, bool]:
    """A guard node's outcome of a call (None for a tool message no guard node wrote), and whether the
    node refused the call itself, before any guard (a malformed call)."""
    info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
    if not isinstance(info, dict):
        return None, False
    return info.get("outcome"), info.get("by") == "node"


def _gates_part(m: ToolMessage) -> Any:
    """A gate message's content as the gate wrote it: without what a middleware outside the gate wrote
    before it (a reviewer's edit notice), by the size and digest the gate recorded (`GuardMiddleware`);
    the whole content when its end is not that (rewritten: read as the model read it)."""
    info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
    content = m.content
    if isinstance(info, dict):
        size = info.get("chars" if isinstance(content, str) else "blocks")
        if isinstance(size, int) and not isinstance(size, bool) and 0 <= size < len(content):
            part = content[len(content) - size:]
            if info.get("digest") == content_digest(part):
                return part
    return content


def _result_of(m: ToolMessage, tool: str) -> list[dict[str, Any]]:
    """The result or error event of a tool message; none for a call that was refused (it never ran)."""
    outcome = _outcome(m)[0]
    if outcome in _NO_RESULT:
        return []
    content = _gates_part(m)
    info = m.artifact.get("vfa") if isinstance(m.artifact, dict) else None
    if not isinstance(info, dict) and isinstance(content, list) and len(content) == 1 and _is_text_block(content[0]):
        # a log's result as one text block (Anthropic's tool_result, Bedrock's toolResult, an OpenAI text part):
        # the text the model read, read as the same text given as a string (no gate labelled it as blocks)
        content = content[0]["text"]
    if m.status == "error":
        error = _text_of(content)
        said = f"{tool} failed: "
        if outcome == "failed" and error.startswith(said):  # the node's words before the error the flow labelled
            error = error[len(said):]
        return [{"type": "error", "id": m.tool_call_id, "tool": tool, "error": error}]
    shape = info.get("shape") if isinstance(info, dict) else None  # a ToolNode's text, read as the flow read it
    # text the flow read as text stays text, whatever it looks like (a note that happens to be JSON)
    return [{"type": "result", "id": m.tool_call_id, "tool": tool,
             "result": _text_of(content) if shape == "text" else _parse(content),
             **({"shape": shape} if shape in _SHAPES else {}),
             **({"reprs": info["reprs"]} if isinstance(info, dict) and isinstance(info.get("reprs"), dict) else {}),
             **({k: info[k] for k in ("readers", "trusted") if k in info} if isinstance(info, dict) else {})}]


def _no_text(messages: Any, what: str) -> None:
    """Raise `TraceError` for one text given where a list of messages belongs (each letter a user message)."""
    if isinstance(messages, (str, bytes)):
        raise TraceError(f"{what} must be a list of messages, not one text: {messages[:40]!r}")


def trace_from_journal(journal: Any, thread_id: str, user_messages: Iterable[str] = (),
                       messages: Iterable[Any] | None = None, *,
                       conversations: Mapping[str, Iterable[Any]] | None = None) -> list[dict[str, Any]]:
    """A trace from a vfa journal: each proposal, each edited call and each raw result.

    Each proposal as proposed (handles and all), each call again as a person edited it (the arguments
    that then ran, or were denied), and each raw result.

    The journal holds no user messages. `user_messages` are placed first (a value the user typed
    late then counts for calls made before it: give `messages` instead where order matters);
    `messages`, the thread's conversation (the graph state's messages), places each user message
    before the first call after it, the calls matched to the journal's in order, and marks a result
    it shows that the journal never recorded ("unobserved"), where it came. A call no longer in the
    conversation (its turn cleared from the state), or only in a later turn (its id used again), comes
    after the user message it was made after, which the guard node journals with it (by the message's
    id), when that message is still there; else before the user messages not yet placed. A call checked
    again live after results of other calls came (its task resumed once a person answered, the rest of
    its turn run meanwhile) comes again there, as the call as a person edited it does.

    A call made from inside another call's effect (an agent a tool runs) was labelled live with the
    user's words of the outermost conversation and the labels of the calls it was made inside, which
    the journal keeps with it: its event carries them ("within"). `conversations` maps the threads of
    other conversations (an outer agent's) to their messages, for those words; a call whose outermost
    conversation is neither this one nor given is read with no word of the user's (every authority
    argument it holds is reported unless a trusted tool gave it).
    """
    if not callable(getattr(journal, "entries", None)):
        raise TypeError(f"journal must be a vfa EffectJournal, not {type(journal).__name__}")
    # None: the journal would read every thread as one, and one thread's results ground another's calls
    thread_id = _thread_of(thread_id)
    _no_text(user_messages, "user_messages")
    if messages is not None:
        _no_text(messages, "messages")
    out: list[dict[str, Any]] = [{"type": "user", "content": u} for u in user_messages]
    # the conversation in order: its calls (by id), and the user messages and results no record holds
    # between them, each placed in the trace before the call after it
    items: list[tuple[str, dict[str, Any] | None]] = []
    turns: dict[str, int] = {}  # a user message's id -> its place in `items`
    if messages is not None:
        try:
            conversation = convert_to_messages(list(messages))
        except (ValueError, TypeError, KeyError, NotImplementedError) as exc:
            raise TraceError(f"messages that are no LangChain messages: {exc}") from None
    entries = list(journal.entries(thread_id))
    # results the live flow found shown but never recorded, journaled where it found them (`UNOBSERVED`)
    unseen = {str(e.data.get("id")) for e in entries if e.kind == UNOBSERVED}
    recorded = {e.call_id for e in entries} | unseen
    if messages is not None:
        for at, m in enumerate(conversation):
            # results a message other than a tool message carries (a history in a provider's format), as live
            items.extend(("", {"type": "unobserved", "id": c, "tool": ""}) for c in results_elsewhere(m) if c not in unseen)
            if isinstance(m, HumanMessage) and not _written_by_a_node(m):
                if isinstance(m.id, str):
                    turns.setdefault(m.id, len(items))
                items.append(("", {"type": "user", "content": users_text(m.content)}))
            elif (isinstance(m, ToolMessage) and str(m.tool_call_id) not in recorded
                  and _outcome(m)[0] not in _NO_RESULT and not _echo(conversation, at)):
                # a result the journal never recorded (another node's, or a history carried over): the live
                # guard labelled every later argument for want of knowing it
                items.append(("", {"type": "unobserved", "id": str(m.tool_call_id), "tool": str(m.name or "")}))
            elif isinstance(m, AIMessage):
                # the tools the provider ran inside the turn, read before its calls were written
                items.extend(("", {"type": "unobserved", "id": c, "tool": ""}) for c in provider_ran(m) if c not in unseen)
                items.extend((str(c["id"]), None) for c in m.tool_calls)
    at = 0
    # a call the node refused before any guard judged it (a malformed or reused id) never ran and was
    # never checked live: left out, as the live guard left it
    refused = {e.call_id for e in entries if e.kind == "denied"} - {e.call_id for e in entries if e.kind == "verdicts"}
    shapes: dict[str, Any] = {}  # how the live flow read a call's result (a ToolNode's text), from its proposal
    # call -> its last call event and its place in `out`, while it awaits its result: a call checked again
    # after results of other calls came (its task resumed once a person answered, the rest of its turn run
    # meanwhile) is checked there again, as live (what they disclosed may join what it sends)
    waiting: dict[str, tuple[dict[str, Any], int]] = {}
    for i, e in enumerate(entries):
        if e.call_id in refused:
            continue
        if e.kind == "verdicts" and e.call_id in waiting:
            event, placed = waiting[e.call_id]
            if any(x["type"] in ("result", "error", "unobserved") for x in out[placed + 1:]):
                out.append({**event, "again": True})
                waiting[e.call_id] = (event, len(out) - 1)
        if e.kind == "proposed":
            if "shape" in e.data:
                shapes[e.call_id] = e.data["shape"]
            # the next call of the conversation with this id (ids may repeat from turn to turn); the user
            # messages before it, and before calls the journal has no record of, come first
            match = next((k for k in range(at, len(items)) if items[k][0] == e.call_id), None)
            turn = e.data.get("turn")
            if isinstance(turn, str) and turn in turns:
                # made after that user message and before the next: a call of the conversation with its id
                # past that is another, made again in a later turn (ids numbered per turn), and one not there
                # was cleared since (its turn's messages removed, the user's kept): after the user message
                # it answered, as the live flow labelled it
                start = turns[turn]
                end = next((k for k in range(start + 1, len(items)) if items[k][1] is not None
                            and items[k][1]["type"] == "user"), len(items))
                if match is None or match > end:
                    match = start if start >= at else None  # (at its user message, or where the trace is)
            if match is not None:
                out += [x for _id, x in items[at:match + 1] if x is not None]
                at = match + 1
            within = e.data.get("within")
            out.append({"type": "call", "id": e.call_id, "tool": e.tool, "args": e.data.get("args") or {},
                        **({"written": e.data["written"]} if isinstance(e.data.get("written"), dict) else {}),
                        **({"within": _within(within, thread_id, messages, conversations)} if within is not None else {})})
            waiting[e.call_id] = (out[-1], len(out) - 1)
        elif e.kind == "edited" and isinstance(e.data.get("args"), dict) and not refused_edit(entries, i):
            # (an edit the tool's schema refused, or one past max_edit_rounds, ended the call: no guard checked it, live)
            out.append({"type": "call", "id": e.call_id, "tool": e.tool, "args": e.data["args"]})
            waiting[e.call_id] = (out[-1], len(out) - 1)
        elif e.kind in ("ran", "committed"):
            waiting.pop(e.call_id, None)
            out.append({"type": "result", "id": e.call_id, "tool": e.tool, "result": e.data.get("result"),
                        **({"shape": shapes[e.call_id]} if e.call_id in shapes else {}),
                        **({"reprs": e.data["reprs"]} if isinstance(e.data.get("reprs"), dict) else {})})
        elif e.kind == UNOBSERVED and str(e.data.get("id")) in unseen:
            waiting.pop(str(e.data.get("id")), None)
            unseen.discard(str(e.data.get("id")))  # once (a flow restarted may journal it again)
            out.append({"type": "unobserved", "id": str(e.data.get("id")), "tool": e.tool})
        elif e.kind == "failed" and "verdict" not in e.data:  # with a verdict: denied on recovery, shown as a denial
            waiting.pop(e.call_id, None)
            # as the tool raised it: its text is labelled again as live (the same handles minted)
            out.append({"type": "error", "id": e.call_id, "tool": e.tool, "error": e.data.get("cause", e.data.get("error"))})
    out += [x for _id, x in items[at:] if x is not None]
    return out


def _within(within: Any, thread_id: str, messages: Iterable[Any] | None,
            conversations: Mapping[str, Iterable[Any]] | None) -> dict[str, Any]:
    """A nested call's "within" event key from its journaled record: the user's words of its outermost
    conversation up to the message its call answered, and the label it was made from."""
    if not isinstance(within, Mapping):
        raise TraceError(f"a journaled \"within\" that is no object: {within!r}"[:200])
    thread = within.get("thread")
    conversation = messages if thread == thread_id else (conversations or {}).get(thread) if isinstance(thread, str) else None
    users: list[str] = []
    if conversation is not None:
        try:
            read = convert_to_messages(list(conversation))
        except (ValueError, TypeError, KeyError, NotImplementedError) as exc:
            raise TraceError(f"messages of conversation {thread!r} that are no LangChain messages: {exc}") from None
        for m in read:
            if isinstance(m, HumanMessage) and not _written_by_a_node(m):
                users.append(users_text(m.content))
                if m.id is not None and m.id == within.get("turn"):
                    break  # the user message the outermost call answered: later words came after the call
    return {"user": users, "label": within.get("label")}


def _text_of(content: Any) -> str:
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, default=repr)


def _parse(content: Any) -> Any:
    if not isinstance(content, str):
        return content
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # not JSON, or nested past what the parser reads: the text as it is
        return content
