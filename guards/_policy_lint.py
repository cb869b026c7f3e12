"""Policy lint at compile time, and invariants: Z3 finds policies that cannot hold or check nothing.

Errors, each a `PolicyError` whose `clauses` name the clauses involved (an unsat core where there is one):

- a precondition that is unsatisfiable: the tool can never run;
- a clause that is valid: it holds for every value its types admit, so it checks nothing;
- a postcondition that contradicts its tool's precondition;
- an invariant that a tool's precondition contradicts (the tool can never run while it holds), or
  that a tool's postcondition can break (with a counterexample state);
- a reference to an argument or field that does not exist (raised already when the clause is parsed).

A query Z3 cannot decide within its budget is not an error: it is reported as a `PolicyLintWarning`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from vfa import ALLOW, Deny, GuardContext, PolicyError, Proposal, ToolSpec

from ._fastpath import BadValue, evaluate, jsonable, read_values
from ._clauses import Scope, Term, display, leaves, parse_clause
from ._preconditions import agent_preconditions
from ._sorts import schema_of
from ._symbolic import LazyVars, apply_updates, arg_paths, jsonable_tree, member_elements, model_state, state_bounds, state_sorts
from ._z3 import Z3, Outcome

__all__ = ["PolicyInvariant", "PolicyLintWarning", "lint_tool"]

LINT_TIMEOUT_MS = 5000


class PolicyLintWarning(UserWarning):
    """A lint query that Z3 could not decide within its time budget; the policy was not proven sound."""


def _frame(tool: str, pres: Sequence[Any], posts: Sequence[Any], schema: Any) -> tuple[Z3, LazyVars]:
    sorts, bounds = state_sorts(schema), state_bounds(schema)
    for pre in pres:
        a_sorts, a_bounds = arg_paths(pre.arg_sorts, pre.arg_bounds)
        sorts.update(a_sorts)
        bounds.update(a_bounds)
    for post in posts:  # a tool with no precondition declares its arguments' bounds here alone
        a_sorts, a_bounds = arg_paths(getattr(post, "arg_sorts", {}), getattr(post, "arg_bounds", {}))
        sorts.update(a_sorts)
        bounds.update(a_bounds)
    session = Z3(LINT_TIMEOUT_MS)
    return session, LazyVars(session, sorts, bounds, track=True)


def _undecided(out: Outcome, what: str) -> bool:
    if out.status == "unknown":
        warnings.warn(f"Z3 could not decide whether {what} ({out.reason})", PolicyLintWarning, stacklevel=4)
        return True
    return False


def lint_tool(spec: ToolSpec, extra: Sequence[Any] = ()) -> None:
    """Lint one tool's preconditions (its own and `extra` agent-level ones) and postconditions."""
    pres = tuple(spec.meta.get("preconditions", ())) + tuple(extra)
    posts = tuple(spec.meta.get("postconditions", ()))
    if not pres:
        return
    # the state type any of them declares: the tool's own clauses may name none while an agent-level one does
    schema = next((p.schema for p in (*pres, *posts) if p.schema.root is not None), pres[0].schema)
    roots = list(dict.fromkeys(p.schema.root for p in (*pres, *posts) if p.schema.root is not None))
    if len(roots) > 1:  # one world is read at run time: clauses over two types cannot be checked as one
        raise PolicyError(f"the conditions of {spec.name!r} declare {len(roots)} state types "
                          f"({', '.join(getattr(r, '__name__', repr(r)) for r in roots)}); the world is one object: "
                          "declare them all with the same state type")
    clauses = [(text, term) for pre in pres for text, term in zip(pre.texts, pre.terms)]

    session, env = _frame(spec.name, pres, posts, schema)
    for text, term in clauses:
        session.add(session.term(term, env), label=text)
    out = session.check()
    if out.status == "unsat":
        raise PolicyError(
            f"the precondition of {spec.name!r} can never hold: {' and '.join(f'`{c}`' for c in out.core)} "
            f"contradict each other (unsat core), so the tool could never run", clauses=tuple(out.core))
    _undecided(out, f"the precondition of {spec.name!r} is satisfiable")

    for text, term in clauses:
        s, e = _frame(spec.name, pres, posts, schema)
        s.add(s.negate(s.term(term, e)))
        out = s.check()
        if out.status == "unsat":
            raise PolicyError(
                f"clause `{text}` of {spec.name!r} checks nothing: it holds for every value its types admit "
                f"({', '.join(display(p) for p in leaves(term))}); remove it or tighten it", clauses=(text,))
        _undecided(out, f"clause `{text}` of {spec.name!r} checks anything")

    post_clauses = [c for post in posts for c in post.clauses]
    if post_clauses:
        s, e = _frame(spec.name, pres, posts, schema)
        for text, term in clauses:
            s.add(s.term(term, e), label=text)
        after = apply_updates(s, posts, e)
        for c in post_clauses:
            s.add(s.term(c, after), label=c.text)
        out = s.check()
        if out.status == "unsat":
            raise PolicyError(
                f"the postcondition of {spec.name!r} contradicts its precondition: "
                f"{' and '.join(f'`{c}`' for c in out.core)} cannot all hold (unsat core)", clauses=tuple(out.core))
        _undecided(out, f"the postcondition of {spec.name!r} is consistent")


class PolicyInvariant:
    """An agent-level guard: every call must leave the state satisfying these clauses.

    At compile time it proves each tool's declared postcondition preserves the clauses (or reports a
    counterexample state); at run time it computes the state a call would leave and checks it.
    """

    def __init__(self, *clauses: str, state: Any, name: str = "invariant") -> None:
        if not clauses:  # an invariant of nothing allows every call
            raise PolicyError(f"invariant {name!r} needs at least one clause")
        self.name = name
        self.schema = schema_of(state)
        scope = Scope(f"invariant {name!r}", {}, self.schema)
        self.terms: tuple[Term, ...] = tuple(parse_clause(c, scope) for c in clauses)
        self.texts = tuple(c.strip() for c in clauses)
        self.tools = None

    def check(self, proposal: Proposal, context: GuardContext) -> Any:
        """Deny a call whose declared postcondition would leave the state violating an invariant clause."""
        spec = context.tool
        posts = tuple(spec.meta.get("postconditions", ())) if spec is not None else ()
        if not posts:
            return ALLOW  # a tool that declares no postcondition changes no state field (frame rule)
        updates = [u for post in posts for u in post.updates]
        try:
            before = read_values([*self.terms, *(u.term for u in updates)], proposal.args, context.world)
            after = dict(before)
            for u in updates:
                after[u.path] = evaluate(u.term, before)
        except BadValue as exc:
            return Deny(reason=f"{proposal.tool} denied: invariant {self.name!r} could not be evaluated: {exc}",
                        evidence={"tool": proposal.tool, "error": str(exc)})
        for text, term in zip(self.texts, self.terms):
            if not evaluate(term, after):
                changed = {display(u.path): jsonable(after[u.path]) for u in updates}
                return Deny(
                    reason=f"{proposal.tool} denied: it would break invariant `{text}` (after it: "
                           f"{', '.join(f'{k}={v!r}' for k, v in changed.items())})",
                    evidence={"tool": proposal.tool, "clause": text, "after": changed,
                              "before": {display(p): jsonable(before[p]) for p in leaves(term)}})
        return ALLOW

    def lint(self, tools: Mapping[str, ToolSpec]) -> None:
        """Raise `PolicyError` if a tool's precondition contradicts an invariant or its postcondition can break one."""
        self.lint_with((), tools)

    def lint_with(self, guards: Sequence[Any], tools: Mapping[str, ToolSpec]) -> None:
        """`lint`, a tool's precondition being its own and its agent-level `PreconditionGuard`s' (`guards`): the
        chain runs them all on every call, so the invariant is proven from the states they all allow."""
        agent_pres = agent_preconditions(guards, tools)
        for spec in tools.values():
            pres = (*spec.meta.get("preconditions", ()), *agent_pres.get(spec.name, ()))
            posts = tuple(spec.meta.get("postconditions", ()))
            if not pres and not posts:
                continue
            self._lint_tool(spec, pres, posts)

    def _lint_tool(self, spec: ToolSpec, pres: Sequence[Any], posts: Sequence[Any]) -> None:
        roots = list(dict.fromkeys(x.schema.root for x in (self, *pres, *posts) if x.schema.root is not None))
        if len(roots) > 1:  # one world is read at run time; the frame has no variable for another type's fields
            raise PolicyError(f"invariant {self.name!r} and the conditions of {spec.name!r} declare {len(roots)} state "
                              f"types ({', '.join(getattr(r, '__name__', repr(r)) for r in roots)}); the world is one "
                              "object: declare them all with the same state type")
        s, before = _frame(spec.name, pres, posts, self.schema)
        for text, term in zip(self.texts, self.terms):
            s.add(s.term(term, before), label=f"invariant: {text}")
        pre_clauses = [(t, c) for pre in pres for t, c in zip(pre.texts, pre.terms)]
        for text, term in pre_clauses:
            s.add(s.term(term, before), label=text)
        out = s.check()
        if out.status == "unsat":
            raise PolicyError(
                f"{spec.name!r} can never run while invariant {self.name!r} holds: "
                f"{' and '.join(f'`{c}`' for c in out.core)} contradict each other (unsat core)",
                clauses=tuple(out.core))
        if not posts or _undecided(out, f"{spec.name!r} can run under invariant {self.name!r}"):
            return
        # the updates alone carry the state: an `ensures` clause is a claim (`verify_plan` proves it, never
        # assumes it), and a wrong one would hide an update that breaks the invariant, which the run time denies
        after = apply_updates(s, posts, before)
        for text, term in zip(self.texts, self.terms):
            s.push()
            s.add(s.negate(s.term(term, after)))
            out = s.check()
            s.pop()
            if out.status == "sat":
                elements: dict[Any, list[Any]] = {}  # each membership's element as its moment computes it
                member_elements(s, [*self.terms, *(c for _, c in pre_clauses)], before, elements)
                member_elements(s, self.terms, after, elements)
                member_elements(s, [u.term for post in posts for u in post.updates], before, elements)
                cex = jsonable_tree(model_state(s, out.model, before, [*self.terms, *(c for _, c in pre_clauses)],
                                                before.sorts, elements))
                updates = ", ".join(u.text for post in posts for u in post.updates)
                raise PolicyError(
                    f"{spec.name!r} can break invariant `{text}`: its postcondition ({updates}) "
                    f"violates it from the state and arguments {cex} although its precondition holds",
                    clauses=(f"invariant: {text}", *(t for t, _ in pre_clauses), *(
                        u.text for post in posts for u in post.updates)))
            _undecided(out, f"{spec.name!r} preserves invariant `{text}`")

    def __repr__(self) -> str:
        return f"PolicyInvariant({', '.join(map(repr, self.texts))})"
