"""Plan-then-execute: the model proposes a whole plan, Z3 verifies it, then the guard node runs it step by step.

    from graphs.plan_execute import plan_execute

    agent = Agent(model, tools=[transfer, add_payee], world=lambda: bank)
    app = plan_execute(agent, assume=["state.limits.daily >= 500"]).compile(checkpointer=InMemorySaver())

The model's reply with tool calls is the plan. Before any of it runs, `guards.verify_plan` checks
every step's precondition (the tool's own and the agent's `PreconditionGuard`s) from the current world (pinned field by field) under the declared
postconditions. A plan that can fail is rejected as a whole: each of its calls gets a tool message
with the failing step, clause and counterexample, and the model may re-plan (`max_replans` times).
A verified plan then runs one call at a time through the agent's guard node (its guards, journal and
flow), so every step is still checked on the concrete state and committed through the journal; a step
denied there stops the plan and goes back to the model. A step a person edits at an interrupt is held
to the plan too: the plan's steps run through a copy of the agent's node whose chain has one more
guard, `verify_plan`, which passes a step as the plan proposed it (verified with the plan: no solver
work) and verifies the plan as edited before an edited step commits, from the current world (the
edited step and the steps after it; with `pin_world=False`, the whole plan, as it ran, under `assume`).
An edit that breaks the plan is denied, the model told why, and nothing of it is committed. So is a plan
changed in the state after it was verified (a person's `update_state` at an interrupt before "tools"): its
next step is verified as an edited one is, the plan as it stands (the digest of the plan verified is kept in
the state, `verified_plan`, and checkpointed with it).

Graph: START -> planner -> verify_plan -> tools (one step per visit) -> ... -> planner -> END; after a step that
fails, stop_plan answers the plan's later calls (not run) before the model re-plans or the run ends.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.runnables import RunnableConfig, RunnableLambda
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import Send

from guards import verify_plan
from vfa import (ALLOW, Agent, ArgumentError, ConfigError, Deny, FunctionGuard, GuardChain, GuardNode, PolicyError, Proposal,
                 check_coverage)
from vfa._chain import _withheld, _within
from vfa._exceptions import message_of
from vfa._guard_node import _repr, _storable, _world_provider, thread_key

__all__ = ["plan_execute"]

REJECTED = "plan rejected before its first step"
PLAN_GUARD = "verify_plan"
"""The name a plan's rejection is given as its guard, and the guard that holds an edited step to the plan."""


class PlanState(MessagesState):
    """The graph's state: the conversation, and the digest of the plan `verify_plan` last verified (checkpointed
    with it, so a resumed run, after a crash too, tells the plan it verified from one changed in the state since)."""

    verified_plan: str


def _plan_message(messages: Sequence[Any]) -> AIMessage | None:
    """The latest model reply that proposed tool calls: the plan being verified or executed."""
    return next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)


def _unanswered(plan: AIMessage, done: dict[str, ToolMessage]) -> list[Any]:
    """The plan's calls no tool message answers yet (as the node answers it: `str` of its id)."""
    return [c for c in plan.tool_calls if str(c["id"]) not in done]


def _plan_digest(calls: Sequence[Any]) -> str:
    """What a verified plan is known by: a digest of its calls (ids, tools, arguments) as written."""
    shown = [[str(c.get("id")), str(c.get("name")), c.get("args") or {}] for c in calls]
    try:  # as the checkpoint keeps them (their order too); a value JSON cannot write (a state edit's) by its repr
        text = json.dumps(shown, default=repr)
    except (TypeError, ValueError):
        text = repr(shown)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _results(messages: Sequence[Any], plan: AIMessage) -> dict[str, ToolMessage]:
    after = messages[messages.index(plan) + 1:] if plan in messages else []
    return {m.tool_call_id: m for m in after if isinstance(m, ToolMessage)}


def plan_execute(
    agent: Agent,
    *,
    assume: str | Sequence[str] = (),
    world: Any = None,
    pin_world: bool = True,
    max_replans: int = 2,
    timeout_ms: int = 5000,
    max_steps: int = 64,
) -> StateGraph:
    """Build the plan-then-execute graph around an agent's model, tools and guard node (uncompiled).

    Args:
        agent: supplies the model, the tools, the guards and the `GuardNode` every step runs through.
        assume: clauses over `state.*` and the plan's symbols assumed of the initial state.
        world: the world the plan starts from, as `Agent(world=...)` takes it (an object, or a sync function
            of nothing or of the graph's state returning it); default: the one the agent was given.
        pin_world: verify from the concrete current world (True), or for every state `assume` admits.
        max_replans: how many rejected plans the model may replace before the run ends.
        max_steps: the most steps a plan may have; a longer one is rejected before it is verified (Z3's
            budget is per step, and each of its calls is answered with the whole counterexample).

    Raises:
        ConfigError: a setting the run time could not use (an async world provider too): a `PolicyError` for an assumption that names no field
            of the state, is no clause, or cannot hold with the others.
    """
    if not isinstance(agent, Agent):
        raise TypeError(f"plan_execute builds on a vfa.Agent, not {type(agent).__name__}")
    agent.lint()  # policy errors surface before any graph exists, as in Agent.compile
    node = agent.guard_node
    specs = dict(node.specs)
    _check_settings(specs, node.chain.guards, assume, timeout_ms=timeout_ms, max_replans=max_replans, max_steps=max_steps)
    bound = agent.model.bind_tools([s.json_schema() for s in specs.values()]) if specs else agent.model
    system = [SystemMessage(agent.instructions)] if agent.instructions else []
    # read as the agent reads its world (an object, or a function of nothing or of the graph's state), with the
    # state the plan is checked in; an async provider refused here, as Agent refuses it
    current_world: Callable[[Any], Any] = _world_provider(world) if world is not None else getattr(node, "_world")

    def planner(state: PlanState, config: RunnableConfig) -> dict[str, Any]:
        return {"messages": [bound.invoke(system + list(state["messages"]), config)]}

    def check_plan(state: PlanState, config: RunnableConfig) -> dict[str, Any]:
        plan = _plan_message(state["messages"])
        calls = list(plan.tool_calls) if plan is not None else []
        thread = thread_key(config, state, node.messages_key)  # the key the node journals the steps under
        proposals = [Proposal(call_id=str(c["id"]), tool=str(c["name"]), args=dict(c.get("args") or {}),
                              thread_id=thread) for c in calls]
        malformed = _malformed(calls)
        if malformed is not None:  # it quotes only the plan's shape and ids: shown as the node shows its own refusals
            return {"messages": node.refusals(proposals, malformed, "plan-refused")}
        verdict = _verdict(proposals, thread, state)
        if verdict is None:
            return {"verified_plan": _plan_digest(calls)}
        # a denial like the node's: journaled, so the journal's audit reads what the plan proposed
        keys = [node.record_denial(p, verdict, state) for p in proposals]
        if node.flow is not None:  # the model reads the rejection as the node shows a denial: through the flow
            messages = []
            # the rejection quotes any step: each step's message withholds what the whole plan wrote (one step's
            # words alone would show another step's wrong guess in clear, and the right one as its handle)
            planned = {f"{i}.{k}": v for i, q in enumerate(proposals) for k, v in q.args.items()}
            for p, key in zip(proposals, keys):
                message = node.denial(p.model_copy(update={"raw_args": planned}), verdict)
                message.artifact["stage"] = "plan"
                message.artifact["vfa"]["call_id"] = key  # where it is on record (a flow checks a denial's message)
                messages.append(message)
            return {"messages": messages}
        text = f"{verdict.reason}. Evidence: {json.dumps(verdict.evidence, default=str)}"
        return {"messages": [ToolMessage(content=text, tool_call_id=c["id"], name=c["name"], status="error",
                                         artifact={"verdict": verdict.model_dump(), "stage": "plan"})
                             for c in calls]}

    def _malformed(calls: list[Any]) -> Deny | None:
        """The denial of a plan the node could not run as verified: too long, or a call id missing or repeated
        (a step's result answers every call of its id, so a later one would never run, nor be answered)."""
        if len(calls) > max_steps:
            return Deny(guard=PLAN_GUARD, reason=f"{REJECTED}: it has {len(calls)} steps, over the limit of "
                        f"{max_steps}; propose a shorter plan", evidence={"steps": len(calls), "limit": max_steps})
        ids = [c.get("id") for c in calls]
        for i, call_id in enumerate(ids):
            # an id the node would refuse (too long, not text the journal can hold) is refused here too:
            # the rejection of a plan is journaled under its calls' ids
            bad = not call_id or not isinstance(call_id, str) or len(call_id) > 256 or not _storable(call_id)
            if bad or call_id in ids[:i]:
                why = ("has no call id" if not call_id else f"has a call id over 256 characters or not valid text ({_repr(call_id, 80)})"
                       if bad else f"has the call id {call_id!r} of step {ids.index(call_id) + 1}")
                return Deny(guard=PLAN_GUARD, reason=f"{REJECTED}: step {i + 1} ({calls[i]['name']}) {why}; each call "
                            "needs its own id")
        return None

    def _verdict(proposals: list[Proposal], thread: str, state: Any, refused: str = REJECTED, first: int = 0) -> Any:
        """None for a plan that verifies, else the denial every one of its calls is answered with, its reason
        beginning with `refused`; `first`: the plan's index of the first of `proposals` (an edited plan
        verified from its edited step on), for the evidence to name the plan's step."""
        steps = []
        for p in proposals:
            # judged as the guard node judges each step: on what the effect would receive, each
            # handle swapped for its value (a handle's text is no amount), validated by the tool
            values = node.values(p) if node.flow is not None else None
            if isinstance(values, Deny):
                return values.model_copy(update={"guard": PLAN_GUARD})
            args = (values or p).args
            if p.tool in specs:
                try:
                    args = specs[p.tool].validate(args)
                except ArgumentError:
                    pass  # judged as written: the plan check names what does not fit, as the node would
            steps.append({"tool": p.tool, "args": args})
        budget = node.chain.timeout_s
        try:  # the plan's guard, so fail closed as the chain is: a world that raises or hangs rejects the plan
            read = lambda: current_world(state)  # noqa: E731
            initial = (read() if budget is None else _within(read, budget)()) if pin_world else None
            result = verify_plan(steps, specs, assume=assume, initial=initial, timeout_ms=timeout_ms,
                                 guards=node.chain.guards)
        except Exception as exc:  # noqa: BLE001 - denied, naming what went wrong
            message = message_of(exc)
            verdict = Deny(guard=PLAN_GUARD, reason=f"{refused}: it could not be verified: {type(exc).__name__}: "
                           f"{message}", evidence={"error": type(exc).__name__, "message": message[:500]})
        else:
            if result.ok:
                return None
            evidence = result.evidence
            if first and evidence.get("failed_step") is not None:
                evidence = {**evidence, "failed_step": evidence["failed_step"] + first, "from_step": first}
            verdict = Deny(guard=PLAN_GUARD, reason=f"{refused}: {result.explanation}", evidence=evidence)
        if node.flow is None:
            return verdict
        # judged on the values behind the handles: told with them written as their handles, as the node tells a guard's
        return _withheld(verdict, lambda data: node.flow.withhold(data, thread))

    def edited_step(proposal: Proposal, context: Any) -> Any:
        """The plan's own guard at each of its steps: a step as the plan proposed it passes (it was verified
        with the plan); one a person edited passes only if the plan as edited verifies (see the module)."""
        state = context.state
        plan = _plan_message(state.get("messages") or []) if isinstance(state, Mapping) else None
        calls = list(plan.tool_calls) if plan is not None else []
        at = next((i for i, c in enumerate(calls) if str(c["id"]) == proposal.call_id), None)
        if at is None:  # the graph sends only the plan's calls: fail closed
            return Deny(reason=f"{proposal.tool} is no step of the plan being run; nothing was run")
        written = proposal.raw_args if proposal.raw_args is not None else proposal.args
        thread = proposal.thread_id
        as_planned = proposal.tool == calls[at]["name"] and written == (calls[at].get("args") or {})
        if as_planned and state.get("verified_plan") == _plan_digest(calls):
            return ALLOW  # the model's call: verified with its plan

        def step(call_id: str, tool: str, args: Any) -> Proposal:  # as written: `_verdict` judges the values
            return Proposal(call_id=call_id, tool=tool, args=dict(args or {}), thread_id=thread)

        later = [step(str(c["id"]), str(c["name"]), c.get("args")) for c in calls[at + 1:]]
        edited = step(proposal.call_id, proposal.tool, written)
        # a step as planned of a plan changed in the state since it was verified: the plan as it stands is
        # verified as an edited one is
        refused = (f"the edit of step {at + 1} of {len(calls)} ({proposal.tool}) is refused; nothing of it was run"
                   if not as_planned else f"step {at + 1} of {len(calls)} ({proposal.tool}) is refused: the plan as it "
                   "stands in the state, changed since it was verified, does not verify; nothing of it was run")
        what = "as edited" if not as_planned else "as it stands"
        if pin_world:  # the steps before it have run: from the world they left
            return _verdict([edited, *later], thread, state, f"{refused}. The plan's steps from this one on, {what} (this "
                            "one counted as step 1), from the current world", first=at) or ALLOW
        # verified for every state `assume` admits of the plan's start: the whole plan, the steps before it as
        # they ran (as a person edited one, which its message records)
        done = _results(state.get("messages") or [], plan)
        ran = []
        for c in calls[:at]:
            info = getattr(done.get(str(c["id"])), "artifact", None)
            info = info.get("vfa") if isinstance(info, dict) else None
            args = info.get("args") if isinstance(info, dict) and isinstance(info.get("args"), dict) else c.get("args")
            ran.append(step(str(c["id"]), str(c["name"]), args))
        return _verdict([*ran, edited, *later], thread, state, f"{refused}. The plan {what}") or ALLOW

    held = FunctionGuard(edited_step, name=PLAN_GUARD, inline=True)  # no solver work but for an edit, and Z3 keeps to timeout_ms
    held.reads_handles = True  # given the step as written, to compare with the plan's; `_verdict` judges values and withholds them

    def after_planner(state: PlanState) -> str:
        plan = _plan_message(state["messages"])
        return "verify_plan" if plan is not None and plan.tool_calls else END

    def next_step(state: PlanState) -> Any:
        messages = state["messages"]
        plan = _plan_message(messages)
        done = _results(messages, plan)
        if any(m.status == "error" for m in done.values()):
            # a step failed: its later calls are answered first (a call left unanswered is a conversation
            # a chat API refuses, and the model would not know they did not run)
            return "stop_plan" if _unanswered(plan, done) else _replan_or_end(messages)
        pending = [c for c in plan.tool_calls if c["id"] not in done]
        if not pending:
            return "planner"  # the model sees every result and answers (or plans again)
        # one step at a time, in plan order, with the conversation: the node labels it as in the loop
        # (the user's words ground its authority arguments, its turn is journaled, approvals carry)
        return [Send("tools", {"__type": "tool_call_with_context", "tool_call": {**pending[0], "type": "tool_call"},
                               "state": state})]

    def stop_plan(state: PlanState, config: RunnableConfig) -> dict[str, Any]:
        """Answer each call of the plan after its failed step: not run (journaled as the node's own refusals, keyed
        apart from the model's ids: none was judged)."""
        messages = state["messages"]
        plan = _plan_message(messages)
        done = _results(messages, plan)
        thread = thread_key(config, state, node.messages_key)
        failed = next(i for i, c in enumerate(plan.tool_calls) if str(c["id"]) in done
                      and done[str(c["id"])].status == "error")
        reason = (f"not run: step {failed + 1} ({plan.tool_calls[failed]['name']}) of this plan failed before it, "
                  "and the plan stopped there; steps before it that succeeded were committed")
        return {"messages": node.refusals([Proposal(call_id=str(c["id"]), tool=str(c["name"]), args=dict(c.get("args") or {}),
                                                    thread_id=thread) for c in _unanswered(plan, done)],
                                          Deny(guard=PLAN_GUARD, reason=reason), "not-run")}

    def _replan_or_end(messages: Sequence[Any]) -> str:
        since_user = messages[max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0):]
        # a plan that ran fine and was followed by another is no rejected plan replaced: count the plans a
        # reply of which (before the next plan: a re-plan may reuse ids) is an error
        rejected, plan, failed = 0, None, False
        for m in since_user:
            if isinstance(m, AIMessage):
                rejected += failed
                plan, failed = m, False
            elif plan is not None and isinstance(m, ToolMessage) and m.status == "error":
                # (as the node answers it: a call without an id under "None", `str` of its id)
                failed = failed or any(str(c["id"]) == m.tool_call_id for c in plan.tool_calls)
        rejected += failed
        return "planner" if rejected <= max_replans else END

    builder = StateGraph(PlanState)
    builder.add_node("planner", RunnableLambda(planner, name="planner"))
    builder.add_node("verify_plan", RunnableLambda(check_plan, name="verify_plan"))
    builder.add_node("tools", _PlanSteps(node, held))
    builder.add_node("stop_plan", RunnableLambda(stop_plan, name="stop_plan"))
    builder.add_edge(START, "planner")
    builder.add_conditional_edges("planner", after_planner, ["verify_plan", END])
    builder.add_conditional_edges("verify_plan", next_step, ["tools", "stop_plan", "planner", END])
    builder.add_conditional_edges("tools", next_step, ["tools", "stop_plan", "planner", END])
    builder.add_conditional_edges("stop_plan", lambda state: _replan_or_end(state["messages"]), ["planner", END])
    check_coverage(builder)
    return builder


def _check_settings(specs: Mapping[str, Any], guards: Sequence[Any], assume: Any, *, timeout_ms: Any, max_replans: Any,
                    max_steps: Any) -> None:
    """Raise `ConfigError` for a setting the run time could not use: the developer's mistake, told when the graph is
    built, never as every plan's rejection at run time (shown to a model that cannot fix it)."""
    for name, value, least in (("max_replans", max_replans, 0), ("max_steps", max_steps, 1)):
        if value.__class__ is bool or not isinstance(value, int) or value < least:
            raise ConfigError(f"plan_execute: {name} must be a whole number of at least {least}, not {value!r:.60}")
    clauses = [assume] if isinstance(assume, str) else assume
    if not isinstance(clauses, Sequence) or not all(isinstance(c, str) for c in clauses):
        raise PolicyError(f"plan_execute: assume must be a clause over state.* or a list of them, not {assume!r:.60}")
    # the assumptions parsed (they name fields of the state: a plan the model writes holds no symbols) and checked
    # to hold together, by verifying the empty plan; an undecided check is left to each plan's own
    checked = verify_plan([], specs, assume=list(clauses), timeout_ms=timeout_ms, guards=guards)
    if not checked.ok and not checked.undecided:
        raise PolicyError(f"plan_execute: assume {list(clauses)!r:.300}: {checked.explanation}")


class _PlanSteps(GuardNode):
    """The agent's guard node as a plan's steps run through it: its tools, journal, flow, world and
    settings (read from it, so one changed later, `lock_wait_s` say, holds here too), its chain with one
    guard more, after the agent's (its budgets the agent chain's, read at each call); the agent's own node (in
    its own graph) is left as it is."""

    def __init__(self, node: GuardNode, guard: Any) -> None:
        # a node of its own for LangGraph to run (not GuardNode's __init__: nothing is built or bound again)
        super(GuardNode, self).__init__(self._func, self._afunc, name=node.name, trace=False)
        self._node = node
        self.chain = _PlanChain(node.chain, guard)

    def __getattr__(self, name: str) -> Any:  # what is not set here (the tools, the journal, the settings): the agent's
        if name == "_node":  # not set yet (a copy being made): no lookup through it
            raise AttributeError(name)
        return getattr(self._node, name)


class _PlanChain(GuardChain):
    """The agent's chain with the plan's guard after its own guards. Its budgets are the agent chain's, read at
    each call (`timeout_s`, `warm_timeout_s`): one set on the agent's chain, before or after the plan graph
    was built, holds for the plan's steps as for the agent's own calls (one set here is set there)."""

    def __init__(self, chain: GuardChain, guard: Any) -> None:
        self._of = chain
        super().__init__([*chain.guards, guard], timeout_s=chain.timeout_s)
        self._built = True

    # GuardChain's __init__ writes its defaults: taken as the agent chain's settings only once built
    @property
    def timeout_s(self) -> float | None:  # type: ignore[override]
        return self._of.timeout_s

    @timeout_s.setter
    def timeout_s(self, value: float | None) -> None:
        if self.__dict__.get("_built"):
            self._of.timeout_s = value

    @property
    def warm_timeout_s(self) -> float:  # type: ignore[override]
        return self._of.warm_timeout_s

    @warm_timeout_s.setter
    def warm_timeout_s(self, value: float) -> None:
        if self.__dict__.get("_built"):
            self._of.warm_timeout_s = value
