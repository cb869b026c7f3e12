"""Plans verified before step one: every step's precondition, for every initial state the assumption admits.

    plan = [Step("transfer", to="alice", amount=Sym("x")), Step("transfer", to="bob", amount=300)]
    result = verify_plan(plan, [transfer], assume=["state.balance >= 1000", "0 < x <= 500"])
    if not result.ok:
        result.failed_step, result.clause, result.counterexample   # an initial state where it fails

Each tool's postconditions carry the state from one step to the next (a tool that declares none
changes no field: the frame rule). Step i is checked by asking Z3 for an initial state satisfying the
assumption under which steps 0..i-1 hold and step i's precondition does not; the first such step is
reported with the initial state, the plan's symbolic values, and the concrete state trace up to it.
A query Z3 cannot decide in its budget makes the plan unverified (`ok=False, undecided=True`).
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from vfa import ALLOW, Allow, Deny, PolicyError, ToolSpec
from vfa._tools import ArgumentError

from ._clauses import Scope, display, leaves, parse_clause
from ._fastpath import BadValue, convert, evaluate, explain, jsonable
from ._preconditions import agent_preconditions, check_ms
from ._sorts import REAL, Schema, Sort, read_path, schema_of
from ._sorts import arg_sorts as _declared_args
from ._symbolic import LazyVars, Overlay, member_elements, model_state, state_bounds, state_sorts
from ._z3 import Z3, without_domain

__all__ = ["PlanResult", "Step", "Sym", "verify_plan"]


@dataclass(frozen=True)
class Sym:
    """A symbolic plan value: the plan is verified for every value the assumption allows it."""

    name: str

    def __post_init__(self) -> None:
        # the assumption names it: a name it cannot write (None, "a b") fails deep in the solver or stays unbounded
        if not isinstance(self.name, str) or not self.name.isidentifier() or keyword.iskeyword(self.name):
            raise PolicyError(f"Sym: a symbol is named by an identifier its assumption can use, not {self.name!r:.60}")


@dataclass(frozen=True)
class Step:
    """One proposed call of a plan: a tool name and its arguments (concrete values or `Sym`s)."""

    tool: str
    args: dict[str, Any] = field(default_factory=dict)

    def __init__(self, tool: str, args: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
        if not isinstance(tool, str) or not tool or not (args is None or isinstance(args, Mapping)):
            raise TypeError(f"a step's tool must be a name and its arguments a mapping, not {tool!r:.40} and {args!r:.40}")
        object.__setattr__(self, "tool", tool)
        object.__setattr__(self, "args", {**(args or {}), **kwargs})


@dataclass
class PlanResult:
    """The outcome of `verify_plan`: ok, or the first failing step with a counterexample initial state."""

    ok: bool
    failed_step: int | None = None
    """Index (0-based) of the first step whose precondition can fail; None when ok or not checkable."""
    tool: str | None = None
    clause: str | None = None
    """The precondition clause that fails at that step."""
    counterexample: dict[str, Any] | None = None
    """{"state": an initial state satisfying the assumption (the fields the plan reads), "symbols": values of the plan's Syms}."""
    trace: list[dict[str, Any]] = field(default_factory=list)
    """The concrete state before each step, from the initial state up to the failing step."""
    explanation: str = ""
    undecided: bool = False
    """True when Z3 could not decide within its budget: the plan is not verified."""

    @property
    def evidence(self) -> dict[str, Any]:
        """The result as JSON-ready evidence for a verdict or span."""
        return {"ok": self.ok, "failed_step": self.failed_step, "tool": self.tool, "clause": self.clause,
                "counterexample": self.counterexample, "trace": self.trace, "explanation": self.explanation,
                "undecided": self.undecided}

    def verdict(self) -> Allow | Deny:
        """Allow a verified plan; deny any other, naming the step, the clause and the counterexample."""
        if self.ok:
            return ALLOW
        return Deny(reason=f"plan rejected before its first step: {self.explanation}", evidence=self.evidence)


def _specs(tools: Mapping[str, Any] | Iterable[Any]) -> dict[str, ToolSpec]:
    items = tools.values() if isinstance(tools, Mapping) else tools
    return {s.name: s for s in (ToolSpec.of(t) for t in items)}


def _schema(specs: Mapping[str, ToolSpec], state: Any) -> Schema:
    if state is not None:
        return schema_of(state)
    for spec in specs.values():
        for key in ("preconditions", "postconditions"):
            for p in spec.meta.get(key, ()):
                if p.schema.root is not None:
                    return p.schema
    return Schema(None)


def _steps(plan: Any) -> list[Step] | PlanResult:
    """The plan's steps, or the result refusing a plan that is not a list of steps (the model's to fix)."""
    if isinstance(plan, (str, bytes, Mapping)) or not isinstance(plan, Iterable):
        return PlanResult(False, explanation=f"the plan must be a list of steps, not {type(plan).__name__} {plan!r:.60}")
    steps: list[Step] = []
    for i, raw in enumerate(plan):
        try:
            steps.append(_step(raw))
        except (TypeError, ValueError) as exc:
            return PlanResult(False, i, explanation=f"step {i + 1} is no step (a tool and its arguments): {exc}")
    return steps


def _step(raw: Any) -> Step:
    if isinstance(raw, Step):
        return raw
    if isinstance(raw, Mapping):
        tool, args = raw.get("tool", ""), raw.get("args", {})
    elif isinstance(raw, (str, bytes)):
        raise TypeError(f"{raw!r:.60} is one text")
    else:
        tool, args = raw
    if not isinstance(args, Mapping):  # Step reads None as no arguments; a step written out names them
        raise TypeError(f"its arguments must be a mapping, not {args!r:.40}")
    return Step(tool, args)


def _arg_sorts(spec: ToolSpec, extra: Sequence[Any] = ()) -> dict[str, Sort]:
    for p in (*spec.meta.get("preconditions", ()), *spec.meta.get("postconditions", ()), *extra):
        return dict(p.arg_sorts)
    return {}


def _validated(spec: ToolSpec, args: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments as the run time sees them: validated by the tool's schema (symbols stand for themselves and
    their fields are left out; each concrete field is validated against its own annotation)."""
    if not any(isinstance(v, Sym) for v in args.values()):
        return spec.validate(args)
    out: dict[str, Any] = {}
    for name, v in args.items():
        if isinstance(v, Sym):
            out[name] = v
            continue
        info = spec.args_model.model_fields[name]
        ann = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
        out[name] = TypeAdapter(ann).validate_python(v)
    return out


def _default(info: Any, given: Mapping[str, Any]) -> Any:
    """An omitted argument's default as validation gives it: a `default_factory`'s value too (its `default` is
    PydanticUndefined), one that reads the other arguments given the step's."""
    data = {k: v for k, v in given.items() if not isinstance(v, Sym)}
    return info.get_default(call_default_factory=True, validated_data=data)


def _why(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(e["msg"] for e in exc.errors()[:3])
    return str(exc)


def verify_plan(
    plan: Sequence[Any],
    tools: Mapping[str, Any] | Iterable[Any],
    *,
    assume: str | Sequence[str] = (),
    state: Any = None,
    initial: Any = None,
    timeout_ms: int = 5000,
    guards: Iterable[Any] = (),
) -> PlanResult:
    """Prove every step's precondition holds for every initial state satisfying `assume`, or find where not.

    A symbol must take only its argument's declared values (Literal, bounds), and every state a step's
    `ensures` reaches must keep the state's own, for every initial state assumed: the run time refuses
    either, so a plan that needs one would stop halfway. A counterexample shows a set by those it holds of the
    plan's values, its clauses' constants, the pinned world's members and, for two initial sets of one element
    sort that the model tells apart elsewhere, a member each way on which they differ (`state.a == state.b`
    failing on two sets no clause names a member of).

    Args:
        plan: steps (`Step`, `{"tool": ..., "args": {...}}` or `(tool, args)`); arguments may be `Sym`s.
        tools: the agent's tools (objects or a name -> tool mapping); their `@requires`/`@ensures` are used.
        assume: clauses over `state.*` and the plan's symbols that the initial state is known to satisfy.
        state: the state type, when no tool declares one.
        initial: the concrete current world (a model, dataclass or dict): every field it has is pinned
            to its value, so the plan is verified for this very state (fields it lacks stay symbolic).
        timeout_ms: Z3's budget per step; a step it cannot decide leaves the plan unverified.
        guards: the agent's own guards: the preconditions of its `PreconditionGuard`s (e.g.
            `PreconditionGuard.for_tool(...)`) are checked at every step of their tool too.

    Raises:
        PolicyError: for a malformed assumption (the developer's); a malformed plan (the model's) is a
            result with `ok=False`.
    """
    if timeout_ms is not None:
        check_ms(timeout_ms, "timeout_ms")
    specs, steps = _specs(tools), _steps(plan)
    if isinstance(steps, PlanResult):
        return steps
    agent_pres = agent_preconditions(guards, specs)
    schema = _schema(specs, state)
    if schema.root is None:  # only agent-level guards declare the state type
        schema = next((p.schema for ps in agent_pres.values() for p in ps if p.schema.root is not None), schema)

    def pres_of(spec: ToolSpec) -> tuple[Any, ...]:
        return (*spec.meta.get("preconditions", ()), *agent_pres.get(spec.name, ()))

    symbols: dict[str, Sort] = {}
    concrete: list[dict[tuple[str, ...], Any]] = []
    sym_bounds: list[tuple[int, Step, str, str, Sort, list]] = []
    for i, step in enumerate(steps):
        spec = specs.get(step.tool)
        if spec is None:
            return _bad(i, step, f"step {i + 1} proposes unknown tool {step.tool!r}")
        sorts, values = _arg_sorts(spec, agent_pres.get(spec.name, ())), {}
        fields = spec.args_model.model_fields
        for name, v in step.args.items():
            if name not in fields:
                return _bad(i, step, f"step {i + 1} gives {step.tool!r} an unknown argument {name!r}")
        bounds = _declared_args(spec.args_model, spec.name)[1]
        for name, sort in sorts.items():
            if name not in step.args and fields[name].is_required():
                return _bad(i, step, f"step {i + 1} omits argument {name!r} of {step.tool!r}")
            try:
                v = step.args[name] if name in step.args else _default(fields[name], step.args)
            except Exception as exc:  # the run time's validation fails alike: the step cannot run
                return _bad(i, step, f"step {i + 1}: the default of {name!r} could not be made: {exc!r:.200}")
            if isinstance(v, Sym):
                # a set of Literal elements too: the run time refuses a set holding another value (`convert`)
                if bounds.get(name) or sort.domain is not None or (sort.elem is not None and sort.elem.domain is not None):
                    sym_bounds.append((i, step, name, v.name, sort, bounds.get(name) or []))
                if symbols.setdefault(v.name, sort) != sort and not symbols[v.name].same(sort):
                    return _bad(i, step, f"symbol {v.name!r} is used as {symbols[v.name]} and as {sort}")
            else:
                try:
                    v = convert(("arg", name), sort, v)
                except BadValue as exc:
                    return _bad(i, step, f"step {i + 1}: {exc}")
            values[("arg", name)] = v
        try:  # the run time checks pydantic-validated arguments: a step its schema rejects cannot run
            checked = _validated(spec, step.args)
            for path in values:
                if not isinstance(values[path], Sym) and path[1] in checked:  # the values the run time's guards see
                    values[path] = convert(path, sorts[path[1]], checked[path[1]])
        except (ArgumentError, ValidationError, BadValue) as exc:
            return _bad(i, step, f"step {i + 1} ({step.tool}) has invalid arguments: {_why(exc)}")
        concrete.append(values)

    assumptions = [assume] if isinstance(assume, str) else list(assume)
    scope = Scope("plan assumption", symbols, schema, kind="sym")
    assumed = [parse_clause(a, scope) for a in assumptions]

    s = Z3(timeout_ms)
    # a scope from the start: Z3 moves a solver that has answered a check to its incremental engine at
    # the first push, and with a string pinned to a long constant that move does not return
    s.push()
    # a symbol's Literal values are proven from the assumptions below, never taken as facts about it
    sorts = {**state_sorts(schema), **{("sym", n): without_domain(srt) for n, srt in symbols.items()}}
    init = LazyVars(s, sorts, state_bounds(schema), tag="@0")
    for path in sorts:
        init[path]  # declare every field: a step may read any (a counterexample shows those the plan reads)
    pinned: dict[Sort, list[Any]] = {}
    if initial is not None:  # before the assumptions: a set is pinned as its value itself, which they must read
        pinned = _pin(s, init, schema, initial)
    for term in assumed:
        s.add(s.term(term, init))
    out = s.check(model=False)  # the facts every step relies on must hold together, or every plan verifies vacuously
    if out.status != "sat":
        what = ("the assumptions are inconsistent with the world: the assumed clauses, the declared types "
                "and bounds of the state" + (" and the pinned current world" if initial is not None else "") +
                " cannot all hold, so no plan can be verified against them")
        if out.status == "unknown":
            return PlanResult(False, undecided=True, explanation=(
                f"Z3 could not decide whether the assumptions are consistent within {timeout_ms} ms "
                f"({out.reason}); the plan is not verified"))
        return PlanResult(False, explanation=what)
    for i, step, name, sym, sort, bounds in sym_bounds:  # a symbol must take only its argument's declared values
        s.push()
        s.add(s.negate(s.conj(s.domain(init[("sym", sym)], sort, bounds))))
        out = s.check(model=False)
        s.pop()
        if out.status != "unsat":
            return PlanResult(False, i, step.tool, undecided=out.status == "unknown", explanation=(
                f"step {i + 1} ({step.tool}): argument {name!r} is the symbol {sym!r}, which the assumptions do "
                f"not keep within the argument's declared {_declared(sort, bounds)}; the plan is not verified"))
    current: Mapping[tuple[str, ...], Any] = init
    all_terms = [*assumed]
    for spec in specs.values():
        for pre in pres_of(spec):
            all_terms.extend(pre.terms)
    extra = _element_candidates(s, concrete, init, sorts,
                                [_arg_sorts(specs[st.tool], agent_pres.get(st.tool, ())) for st in steps])
    for sort, members in pinned.items():  # a pinned set is reported as it is
        extra.setdefault(sort, []).extend(members)
    member_elements(s, assumed, init, extra)  # each membership's element as the moment it is tested computes it

    for i, step in enumerate(steps):
        spec = specs[step.tool]
        arg_sorts = _arg_sorts(spec, agent_pres.get(spec.name, ()))
        view = Overlay(current, {p: (init[("sym", v.name)] if isinstance(v, Sym) else s.value(arg_sorts[p[1]], v))
                                 for p, v in concrete[i].items()})
        clauses = [(t, c) for pre in pres_of(spec) for t, c in zip(pre.texts, pre.terms)]
        holds = [s.term(c, view) for _, c in clauses]
        member_elements(s, [c for _, c in clauses], view, extra)
        if holds:
            s.push()
            s.add(s.negate(s.conj(holds)))
            out = s.check()
            model = _float_model(s, out.model, init, sorts) if out.status == "sat" else None
            s.pop()
            if out.status == "unknown":
                return PlanResult(False, i, step.tool, undecided=True, explanation=(
                    f"Z3 could not decide step {i + 1} ({step.tool}) within {timeout_ms} ms ({out.reason}); "
                    f"the plan is not verified"))
            if out.status == "sat":
                raw = model_state(s, model, init, all_terms, sorts, extra)
                reads = {p for t in assumed for p in leaves(t)}  # what the plan's clauses and updates read
                for j in range(i + 1):
                    reads.update(p for pre in pres_of(specs[steps[j].tool]) for t in pre.terms for p in leaves(t))
                    if j < i:
                        for post in specs[steps[j].tool].meta.get("postconditions", ()):
                            reads.update(p for u in post.updates for p in (u.path, *leaves(u.term)))
                return _counterexample(i, steps, specs, concrete, raw, clauses, reads)
            s.add(*holds)  # proven for this step; it stays assumed for the next ones
        after: dict[tuple[str, ...], Any] = {}
        for post in spec.meta.get("postconditions", ()):
            for u in post.updates:
                after[u.path] = s.term(u.term, view)
                member_elements(s, [u.term], view, extra)  # an update's `x in state.s` read later
        declared = state_bounds(schema)
        for path, term in after.items():  # a state the tool's world could not hold: the run time refuses it
            kept = s.domain(term, sorts[path], declared.get(path, ()))
            if not kept:
                continue
            s.push()
            s.add(s.negate(s.conj(kept)))
            out = s.check(model=False)
            s.pop()
            if out.status != "unsat":
                return PlanResult(False, i, step.tool, undecided=out.status == "unknown", explanation=(
                    f"step {i + 1} of {len(steps)} ({step.tool}): its update of {display(path)} "
                    + (f"could not be decided by Z3 within {timeout_ms} ms ({out.reason})" if out.status == "unknown"
                       else "can leave it outside its declared " + _declared(sorts[path], declared.get(path, ()))
                       + " from the states this plan can reach (the next step would find a world its type refuses)")
                    + "; the plan is not verified"))
        current = Overlay(current, after)
        post_view = Overlay(current, dict(view))
        for post in spec.meta.get("postconditions", ()):
            for c in post.clauses:  # a claimed guarantee is proven from the updates, never assumed
                claim = s.term(c, post_view)
                s.push()
                s.add(s.negate(claim))
                out = s.check(model=False)
                s.pop()
                if out.status != "unsat":
                    undecided = out.status == "unknown"
                    return PlanResult(False, i, step.tool, c.text, undecided=undecided, explanation=(
                        f"step {i + 1} of {len(steps)} ({step.tool}): its postcondition `{c.text}` "
                        + (f"could not be decided by Z3 within {timeout_ms} ms ({out.reason})" if undecided else
                           "is not guaranteed by its updates from the states this plan can reach")
                        + "; the plan is not verified"))
                s.add(claim)
    return PlanResult(True, explanation=f"all {len(steps)} step(s) verified for every initial state assumed")


def _declared(sort: Sort, bounds: Iterable[tuple[str, Any]]) -> str:
    """What a field or argument declares of its values, in words: its Literal values, its bounds."""
    parts = [f"values ({', '.join(repr(v) for v in sort.domain)})"] if sort.domain is not None else []
    if sort.kind == "set" and sort.elem is not None and sort.elem.domain is not None:
        parts.append(f"element values ({', '.join(repr(v) for v in sort.elem.domain)})")
    bounds = list(bounds)
    if bounds:
        parts.append(f"bounds ({', '.join(f'{op} {b!r}' for op, b in bounds)})")
    return " and ".join(parts)


def _pin(s: Z3, init: Mapping, schema: Schema, world: Any) -> dict[Sort, list[Any]]:
    """Constrain the initial state to a concrete world's values (a field it lacks stays symbolic); a set field
    becomes its value. Returns the pinned sets' members, by element sort (without its Literal values)."""
    members: dict[Sort, list[Any]] = {}
    for path, sort in state_sorts(schema).items():
        try:
            v = read_path(world, path[1:])
        except (KeyError, AttributeError, TypeError, IndexError):
            continue
        try:
            v = convert(path, Sort(sort.kind, sort.enum, sort.elem), v)  # a Literal's domain: asserted below
        except BadValue as exc:
            raise PolicyError(f"the world given as the plan's initial state is invalid: {exc}") from None
        value = s.value(sort, v)
        if sort.kind == "set":
            # the set's value in place of its variable: a pushed solver decides membership in a variable pinned
            # to a set of a few dozen members slowly or not at all (50 strings: past its budget), in the value at once
            init[path] = value
            s.add(*s.domain(value, sort, init.bounds.get(path, ())))
            elem = without_domain(sort.elem)  # type: ignore[arg-type]
            members.setdefault(elem, []).extend(s.value(elem, m) for m in v)
        else:
            s.add(s.equal(init[path], value))
    return members


def _sort(spec: ToolSpec, path: tuple[str, ...]) -> Sort:
    return _arg_sorts(spec)[path[1]]


def _element_candidates(s: Z3, concrete: list[dict], init: Mapping, sorts: Mapping,
                        arg_sorts: list[Mapping[str, Sort]]) -> dict[Sort, list[Any]]:
    """Concrete argument values and symbols, by sort, to report which of them a set in a model holds (of every
    scalar sort: an int id left out showed `i not in state.blocked` failing on a set without i). Keyed by the
    sort itself, not its text: two Enum classes of one name are two sorts Z3 does not compare."""
    out: dict[Sort, list[Any]] = {}
    for values, step_sorts in zip(concrete, arg_sorts):
        for path, v in values.items():
            if isinstance(v, Sym):
                out.setdefault(without_domain(sorts[("sym", v.name)]), []).append(init[("sym", v.name)])
            elif step_sorts[path[1]].kind != "set":
                sort = without_domain(step_sorts[path[1]])
                out.setdefault(sort, []).append(s.value(sort, v))
    return out


_FLOAT_TRIES = 8
"""The most checks spent moving a counterexample's rationals to floats (each bound by the plan's budget)."""


def _float_model(s: Z3, model: Any, init: Mapping, sorts: Mapping) -> Any:
    """A model of the failing query whose reals (the initial state's, the symbols') are floats where Z3 finds
    one so, real by real; else that real stays the rational Z3 picked.

    A world's float field holds no 1/3, and a counterexample is reported and replayed as it is: a rational
    written as its nearest float may break the assumption (`3 * state.share == state.bill`)."""
    pins: list[Any] = []
    tries = _FLOAT_TRIES
    for path in sorted(dict.keys(init)):
        if sorts[path].kind != "real":
            continue
        handle = dict.__getitem__(init, path)
        v = s.read(model, handle, REAL)
        for f in _floats_near(v) if tries > 0 else ():
            tries -= 1
            out = s.check(*pins, s.equal(handle, s.value(REAL, f)))
            if out.status == "sat":
                model, v = out.model, f
                break
        if _is_float(v):  # it holds in the model: kept, so a later real's check cannot move it
            pins.append(s.equal(handle, s.value(REAL, v)))
    return model


def _is_float(v: Any) -> bool:
    try:
        return isinstance(v, int) and float(v) == v or isinstance(v, Fraction) and Fraction(float(v)) == v
    except OverflowError:
        return False


def _floats_near(v: Any) -> list[float]:
    """The floats either side of a rational no float is (the nearer first); none past a float's range."""
    if _is_float(v):
        return []
    try:
        f = float(v)
    except OverflowError:
        return []
    if not math.isfinite(f):
        return []
    other = math.nextafter(f, math.inf if f < v else -math.inf)
    return [f, other] if math.isfinite(other) else [f]


def _shown(v: Any) -> Any:
    """A counterexample's value as evidence: exact, a rational no float is as its text ("100/3")."""
    if isinstance(v, Fraction) and not _is_float(v):
        return str(v)
    if isinstance(v, (set, frozenset, list, tuple)):
        return sorted((_shown(x) for x in v), key=repr)
    if isinstance(v, dict):
        return {k: _shown(x) for k, x in v.items()}
    return jsonable(v)


def _counterexample(i: int, steps: list[Step], specs: Mapping[str, ToolSpec], concrete: list[dict],
                    raw: dict[str, Any], clauses: list, reads: set[tuple[str, ...]]) -> PlanResult:
    """Replay the plan on the model's initial state, so the report shows concrete states and words: the
    fields the plan's clauses and updates read (`reads`), never the rest of the pinned world (an owner's
    name, a secret no rule reads), which a model reading the rejection has no use for."""
    env: dict[tuple[str, ...], Any] = {}
    for ns, tree in raw.items():
        _flatten(tree, (ns,), env)
    syms = {p[1]: v for p, v in env.items() if p[0] == "sym"}
    state = {p: (frozenset(v) if isinstance(v, list) else v) for p, v in env.items() if p[0] == "state"}
    trace = []
    for j in range(i + 1):
        trace.append(_nest({display(p)[len("state."):]: _shown(v) for p, v in state.items() if p in reads}))
        spec = specs[steps[j].tool]
        args = {p: (syms[v.name] if isinstance(v, Sym) else v) for p, v in concrete[j].items()}
        if j == i:
            break
        view = {**state, **args}
        for post in spec.meta.get("postconditions", ()):
            state.update({u.path: evaluate(u.term, view) for u in post.updates})
    view = {**state, **args}
    failing = [(t, c) for t, c in clauses if not evaluate(c, view)] or clauses[:1]
    text, term = failing[0]
    why = explain(term, view) if not evaluate(term, view) else "(Z3 model)"
    step = steps[i]
    shown = {display(p)[len("state."):]: v for p, v in env.items() if p[0] == "state" and p in reads}
    cex = {"state": _shown(_nest(shown)), "symbols": _shown(raw.get("sym", {}))}
    return PlanResult(
        False, i, step.tool, text, cex, trace,
        explanation=f"step {i + 1} of {len(steps)} ({step.tool}) can fail its precondition `{text}`: "
                    f"from the initial state {cex['state']}" + (f" with {cex['symbols']}" if syms else "") +
                    f", {why}")


def _flatten(tree: Any, prefix: tuple[str, ...], out: dict) -> None:
    if isinstance(tree, dict):
        for k, v in tree.items():
            _flatten(v, prefix + (k,), out)
    else:
        out[prefix] = tree


def _nest(flat: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, v in flat.items():
        node = out
        *inner, last = key.split(".")
        for k in inner:
            node = node.setdefault(k, {})
        node[last] = v
    return out


def _bad(i: int, step: Step, message: str) -> PlanResult:
    return PlanResult(False, i, step.tool, explanation=message)
