"""Preconditions and postconditions on tools, and the guard that checks a proposal against them.

    bank = Policy(state=Bank)

    @effect
    @bank.requires("0 < amount <= state.balance", "to in state.payees or amount <= 100")
    @bank.ensures("state.balance -= amount")
    def transfer(to: str, amount: int) -> str: ...

Clauses are parsed and type-checked when the decorator runs (a malformed clause fails at import);
Z3 lints them when the agent is compiled (`PreconditionGuard.lint`); each proposal is checked by a
function compiled once from the same terms, with Z3 as the reference semantics.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from vfa import ALLOW, ConfigError, Deny, Escalate, GuardContext, PolicyError, Proposal, ToolSpec, VfaError, annotate
from vfa._effects import declared_on

from ._fastpath import BadValue, compile_check, explain, jsonable, read_values
from ._clauses import Scope, Term, Update, display, leaves, parse_clause, parse_postcondition
from ._sorts import Schema, Sort, arg_sorts, schema_of

if TYPE_CHECKING:  # imported where used: it imports z3
    from ._policy_lint import PolicyInvariant

__all__ = ["Policy", "Postcondition", "Precondition", "PreconditionGuard", "agent_preconditions", "ensures", "requires"]


def _tool_types(fn: Any) -> tuple[str, dict[str, Sort], dict[str, list[tuple[str, Any]]]]:
    spec = ToolSpec.of(fn)
    sorts, bounds = arg_sorts(spec.args_model, spec.name)
    return spec.name, sorts, bounds


class Precondition:
    """The clauses of one tool's precondition, parsed, typed and compiled once.

    Args:
        clauses: clause strings; each must hold for the call to be allowed.
        tool: the tool's name (for messages).
        args: the sort of each argument; bounds: numeric bounds the argument types declare.
        state: the world state's type (a pydantic model, dataclass or TypedDict) or its `Schema`.
    """

    def __init__(
        self,
        clauses: Sequence[str],
        *,
        tool: str,
        args: Mapping[str, Sort],
        state: Any = None,
        bounds: Mapping[str, list[tuple[str, Any]]] | None = None,
    ) -> None:
        if not clauses:
            raise PolicyError(f"{tool}: a precondition needs at least one clause")
        self.tool = tool
        self.schema: Schema = schema_of(state)
        self.arg_sorts = dict(args)
        self.arg_bounds = dict(bounds or {})
        scope = Scope(f"tool {tool!r}", self.arg_sorts, self.schema, unsupported=getattr(args, "unsupported", None))
        self.texts = tuple(c.strip() if isinstance(c, str) else c for c in clauses)
        self.terms: tuple[Term, ...] = tuple(parse_clause(c, scope) for c in clauses)
        self.reads_state = any(p[0] == "state" for t in self.terms for p in leaves(t))
        self._declared = compile_check(self.terms, self.schema, name=f"requires_{tool}", arg_bounds=self.arg_bounds)
        self._mapping = compile_check(self.terms, self.schema, mapping=True, name=f"requires_{tool}",
                                      arg_bounds=self.arg_bounds)
        self._fns = (self._declared, self._mapping)
        self._clauses: list[tuple[Any, Any]] | None = None

    def holds(self, args: Mapping[str, Any], world: Any) -> bool:
        """True when every clause holds on these concrete values; raises `BadValue` on a missing or bad value."""
        return self._run(self._fns, args, world)

    @staticmethod
    def _run(fns: tuple[Any, Any], args: Mapping[str, Any], world: Any) -> bool:
        """Run the declared-type reader, else the mapping one: it reads each level as the Z3 reference
        (`read_path`) does, with [...] on a Mapping (a dict, a TypedDict state, a dict inside a model) and
        by attribute elsewhere, so the two backends read one world alike."""
        try:
            if not (world.__class__ is dict or isinstance(world, Mapping)):
                try:
                    return fns[0](args, world)
                except (KeyError, AttributeError, TypeError, IndexError, BadValue):
                    pass  # a level that is not of its declared kind (a dict where a model is declared; its
                    # `items` read by attribute is the dict's method, a bad value where the key holds a good one)
            return fns[1](args, world)
        except (KeyError, AttributeError, TypeError, IndexError) as exc:
            raise BadValue(f"could not read a value the precondition needs: {exc!r}") from None

    def violations(self, args: Mapping[str, Any], world: Any) -> list[dict[str, Any]]:
        """Each violated clause with its explanation in words and the concrete values it read."""
        if self._clauses is None:  # compiled on the first deny: only the deny path needs clause by clause
            self._clauses = [(compile_check([t], self.schema, name=f"clause_{self.tool}", arg_bounds=self.arg_bounds),
                              compile_check([t], self.schema, mapping=True, name=f"clause_{self.tool}",
                                            arg_bounds=self.arg_bounds))
                             for t in self.terms]
        out = []
        for text, term, fns in zip(self.texts, self.terms, self._clauses):
            if not self._run(fns, args, world):
                env = read_values([term], args, world)
                out.append({"clause": text, "explanation": explain(term, env),
                            "values": {display(p): jsonable(v) for p, v in env.items()}})
        return out

    def __repr__(self) -> str:
        return f"Precondition({self.tool!r}, {list(self.texts)!r})"


class Postcondition:
    """How a tool changes the state: simultaneous updates (`state.balance -= amount`) and clauses on the result."""

    def __init__(self, posts: Sequence[str], *, tool: str, args: Mapping[str, Sort], state: Any,
                 bounds: Mapping[str, list[tuple[str, Any]]] | None = None) -> None:
        self.tool = tool
        self.schema = schema_of(state)
        self.arg_sorts = dict(args)
        self.arg_bounds = dict(bounds or {})
        """The arguments' declared bounds: facts for the lint, as the run time refuses a value beyond them."""
        scope = Scope(f"tool {tool!r} (postcondition)", dict(args), self.schema,
                      unsupported=getattr(args, "unsupported", None))
        parsed = [parse_postcondition(p, scope) for p in posts]
        self.updates: tuple[Update, ...] = tuple(p for p in parsed if isinstance(p, Update))
        self.clauses: tuple[Term, ...] = tuple(p for p in parsed if isinstance(p, Term))
        seen: set[tuple[str, ...]] = set()
        for u in self.updates:
            if u.path in seen:
                raise PolicyError(f"tool {tool!r}: {display(u.path)} is assigned twice", clauses=(u.text,))
            seen.add(u.path)

    def __repr__(self) -> str:
        return f"Postcondition({self.tool!r}, {[u.text for u in self.updates] + [c.text for c in self.clauses]!r})"


def check_ms(ms: Any, what: str) -> None:
    """Raise `ConfigError` for a Z3 budget that is no number of milliseconds above zero."""
    # NaN, inf or a text would deny every call for a reason that is not theirs ("no guard worker became free")
    if ms.__class__ is bool or not isinstance(ms, (int, float)) or not 0 < ms < float("inf"):
        raise ConfigError(f"{what} must be a number of milliseconds above zero, not {type(ms).__name__} {ms!r}")


class PreconditionGuard:
    """A guard that allows a call only when its tool's precondition holds on the concrete values.

    Args:
        precondition: the compiled clauses.
        backend: "fast" (the compiled function; the default) or "z3" (ask Z3 on every call, the slow
            reference).
        on_unknown: the verdict when Z3 cannot decide within `timeout_ms`: "deny" or "escalate".
        tool: for an agent-level guard, the tool it applies to (None when attached to the tool).
    """

    def __init__(
        self,
        precondition: Precondition,
        *,
        backend: Literal["fast", "z3"] = "fast",
        on_unknown: Literal["deny", "escalate"] = "deny",
        timeout_ms: int = 2000,
        tool: str | None = None,
    ) -> None:
        if not isinstance(precondition, Precondition):  # else "'NoneType' object has no attribute 'tool'"
            raise TypeError(f"PreconditionGuard is built of a Precondition (or use PreconditionGuard.for_tool(tool, "
                            f"*clauses)), not {precondition!r:.60}")
        check_ms(timeout_ms, "timeout_ms")
        if backend not in ("fast", "z3") or on_unknown not in ("deny", "escalate"):
            raise ConfigError(f"backend must be 'fast' or 'z3' (got {backend!r}) and on_unknown 'deny' or 'escalate' "
                              f"(got {on_unknown!r})")
        self.precondition = precondition
        self.name = f"requires:{precondition.tool}"
        self.backend = backend
        self.on_unknown = on_unknown
        self.timeout_ms = timeout_ms
        self.timeout_s = None if backend == "fast" else timeout_ms / 1000 + 1.0
        self.tools = frozenset({tool}) if tool else None
        self.reads_world = precondition.reads_state
        """Whether its clauses read `state.*`: an agent given no world would deny every call (`Agent.lint`)."""
        self._z3: Any = None

    @classmethod
    def for_tool(cls, tool: Any, *clauses: str, state: Any = None, **options: Any) -> PreconditionGuard:
        """An agent-level precondition on one tool (the tool's own `@requires` clauses are linted with it)."""
        name, sorts, bounds = _tool_types(tool)
        pre = Precondition(clauses, tool=name, args=sorts, state=state, bounds=bounds)
        return cls(pre, tool=name, **options)

    def check(self, proposal: Proposal, context: GuardContext) -> Any:
        """Allow, or deny naming the violated clauses with their values and a counterexample."""
        pre = self.precondition
        try:
            if self.backend == "z3":
                status, detail = self._reference().decide(proposal.args, context.world)
                if status == "unknown":
                    return self._undecided(proposal, detail)
                ok = status == "sat"
            else:
                ok = pre.holds(proposal.args, context.world)
            if ok:
                return ALLOW
        except (BadValue, VfaError) as exc:
            return Deny(reason=f"{proposal.tool} denied: its precondition could not be evaluated: {exc}",
                        evidence={"tool": proposal.tool, "error": str(exc), "precondition": list(pre.texts)})
        try:
            violations = pre.violations(proposal.args, context.world)
        except Exception as exc:  # the call fails its precondition whatever its explanation does
            return Deny(reason=f"precondition `{' and '.join(pre.texts)}` fails (its values could not be "
                        f"written: {type(exc).__name__})",
                        evidence={"tool": proposal.tool, "clauses": list(pre.texts), "precondition": list(pre.texts)})
        first = violations[0] if violations else {"clause": " and ".join(pre.texts), "values": {}, "explanation": ""}
        more = f"; {len(violations) - 1} more clause(s) fail" if len(violations) > 1 else ""
        counterexample: dict[str, Any] = {}
        for v in violations:
            counterexample.update(v["values"])
        return Deny(
            # the guard node prefixes "<tool> denied by guard <name>:", so the reason starts at the clause
            reason=f"precondition `{first['clause']}` fails: {first['explanation']}{more}",
            evidence={"tool": proposal.tool, "clauses": [v["clause"] for v in violations],
                      "violations": violations, "counterexample": counterexample,
                      "precondition": list(pre.texts)},
        )

    def _undecided(self, proposal: Proposal, reason: str) -> Any:
        evidence = {"tool": proposal.tool, "undecided": reason, "precondition": list(self.precondition.texts)}
        msg = f"Z3 could not decide the precondition of {proposal.tool} within {self.timeout_ms} ms ({reason})"
        if self.on_unknown == "escalate":
            return Escalate(question=f"{msg}; allow this call?", evidence=evidence)
        return Deny(reason=f"{proposal.tool} denied: {msg}", evidence=evidence)

    def _reference(self) -> Any:
        if self._z3 is None:
            from ._reference import ReferenceCheck

            self._z3 = ReferenceCheck(self.precondition, timeout_ms=self.timeout_ms)
        return self._z3

    def lint(self, tools: Mapping[str, ToolSpec]) -> None:
        """At compile time: unsatisfiable, vacuous or contradictory clauses are `PolicyError`s (with unsat cores)."""
        from ._policy_lint import lint_tool

        for spec in tools.values():
            if self in spec.guards or (self.tools and spec.name in self.tools):
                lint_tool(spec, extra=() if self in spec.guards else (self.precondition,))
                return
        if self.tools:
            raise PolicyError(f"{self.name}: the agent has no tool {sorted(self.tools)[0]!r}")
        # carried by no tool and naming none: the chain runs it on every tool's calls, each denied for the
        # arguments of a tool it is not (and its own tool's clauses would go unlinted)
        raise PolicyError(f"{self.name}: a PreconditionGuard given for the agent judges every tool's calls unless it "
                          f"names its tool: give tool={self.precondition.tool!r} (or use PreconditionGuard.for_tool)")

    @classmethod
    def lint_together(cls, guards: Sequence[Any], tools: Mapping[str, ToolSpec]) -> None:
        """At compile time: a tool's agent-level preconditions taken together (`for_tool` twice: `amount > 10`
        and `amount < 5`, each satisfiable alone, leave the tool no call); raises `PolicyError`."""
        from ._policy_lint import lint_tool

        for spec in tools.values():
            extra = [g.precondition for g in guards if isinstance(g, cls) and g not in spec.guards
                     and g.tools and spec.name in g.tools]
            if len(extra) > 1:
                lint_tool(spec, extra=extra)

    def __repr__(self) -> str:
        return f"PreconditionGuard({self.precondition.tool!r}, backend={self.backend!r})"


_T = TypeVar("_T")  # a tool (function, @effect or LangChain tool): the decorators return it, declared


def _existing(fn: Any, key: str) -> tuple[Any, ...]:
    """What `fn` declares under `key` so far: on a LangChain tool, what its function and coroutine declare
    (`annotate` declares there, so a stack of decorators over the tool adds to it rather than replacing it);
    on one made of an object's method, which carries its declarations itself, what the method's class
    declares too (the tool is judged by both)."""
    found: list[Any] = []
    sources = declared_on(fn)
    if sources[0] is fn and hasattr(fn, "args_schema") and hasattr(fn, "invoke"):
        sources = [*(f for f in (getattr(fn, "func", None), getattr(fn, "coroutine", None)) if f is not None), fn]
    for f in sources:
        meta = f.meta if hasattr(f, "meta") and isinstance(getattr(f, "meta"), dict) else getattr(f, "__vfa_meta__", {})
        found.extend(p for p in meta.get(key, ()) if not any(p is q for q in found))
    return tuple(found)


def requires(
    *clauses: str, state: Any = None, backend: Literal["fast", "z3"] = "fast",
    on_unknown: Literal["deny", "escalate"] = "deny", timeout_ms: int = 2000,
) -> Callable[[_T], _T]:
    """Decorator: declare a tool's precondition; adds a `PreconditionGuard` to the tool (either decorator order).

    Raises:
        PolicyError: at decoration, for a clause that is malformed or names an unknown argument or field.
    """

    def decorate(fn: _T) -> _T:
        name, sorts, bounds = _tool_types(fn)
        pre = Precondition(clauses, tool=name, args=sorts, state=state, bounds=bounds)
        guard = PreconditionGuard(pre, backend=backend, on_unknown=on_unknown, timeout_ms=timeout_ms)
        return annotate(fn, guards=[guard], preconditions=_existing(fn, "preconditions") + (pre,))

    return decorate


def ensures(*posts: str, state: Any = None) -> Callable[[_T], _T]:
    """Decorator: declare how a tool changes the state (`state.balance -= amount`), for lint and plan checks."""

    def decorate(fn: _T) -> _T:
        name, sorts, bounds = _tool_types(fn)
        post = Postcondition(posts, tool=name, args=sorts, state=state, bounds=bounds)
        earlier = _existing(fn, "postconditions")
        # every check reads one update per field: two, stacked, would leave one of them unjudged
        assigned = {u.path for p in earlier for u in p.updates}
        for u in post.updates:
            if u.path in assigned:
                raise PolicyError(f"tool {name!r}: {display(u.path)} is assigned twice (also by another "
                                  f"`ensures` of the tool); write both changes as one update", clauses=(u.text,))
        return annotate(fn, postconditions=earlier + (post,))

    return decorate


class Policy:
    """Preconditions, postconditions and invariants over one state type, so it is named once."""

    def __init__(self, state: Any) -> None:
        self.state = schema_of(state)

    def requires(self, *clauses: str, **options: Any) -> Callable[[_T], _T]:
        """`requires(...)` over this policy's state type."""
        return requires(*clauses, state=self.state, **options)

    def ensures(self, *posts: str) -> Callable[[_T], _T]:
        """`ensures(...)` over this policy's state type."""
        return ensures(*posts, state=self.state)

    def invariant(self, *clauses: str, name: str = "invariant") -> PolicyInvariant:
        """An agent-level guard: no tool call may leave the state violating these clauses."""
        from ._policy_lint import PolicyInvariant

        return PolicyInvariant(*clauses, state=self.state, name=name)


def agent_preconditions(guards: Sequence[Any], specs: Mapping[str, ToolSpec]) -> dict[str, list[Any]]:
    """Preconditions of agent-level `PreconditionGuard`s, by tool (those a tool carries itself are in its meta)."""
    out: dict[str, list[Any]] = {}
    for g in guards:
        pre = getattr(g, "precondition", None)
        if pre is None or not hasattr(pre, "terms"):
            continue
        for name in (getattr(g, "tools", None) or {pre.tool}):
            spec = specs.get(name)
            if spec is not None and not any(p is pre for p in spec.meta.get("preconditions", ())):
                if not any(p is pre for p in out.get(name, ())):
                    out.setdefault(name, []).append(pre)
    return out
