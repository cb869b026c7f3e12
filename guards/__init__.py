"""guards: the vfa guard library. Names resolve lazily, so z3 and numba load only when used."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a type checker reads: each name's own type, not the Any of `__getattr__`
    from ._audit import (
        TraceError as TraceError, audit_trace as audit_trace, trace_from_journal as trace_from_journal,
        trace_from_messages as trace_from_messages,
    )
    from ._collision import CollisionGuard as CollisionGuard, path_shapes as path_shapes
    from ._compute import compute as compute
    from ._flow import PrivacyFlow as PrivacyFlow
    from ._handles import HandleError as HandleError
    from ._invariants import (
        After as After, Always as Always, Bounds as Bounds, Conserved as Conserved, Invariant as Invariant,
        Monotonic as Monotonic, NoContact as NoContact, Violation as Violation, While as While,
    )
    from ._plans import PlanResult as PlanResult, Step as Step, Sym as Sym, verify_plan as verify_plan
    from ._policy_lint import PolicyInvariant as PolicyInvariant, PolicyLintWarning as PolicyLintWarning
    from ._preconditions import (
        Policy as Policy, Postcondition as Postcondition, Precondition as Precondition,
        PreconditionGuard as PreconditionGuard, ensures as ensures, requires as requires,
    )
    from ._privacy import (
        APPROVE_FOR_RECIPIENT as APPROVE_FOR_RECIPIENT, APPROVE_ONCE as APPROVE_ONCE,
        FlowViolation as FlowViolation, PrivacyGuard as PrivacyGuard, REJECT as REJECT,
    )
    from ._privacy_decl import (
        PrivacyPolicy as PrivacyPolicy, Sink as Sink, Source as Source, privacy_sink as privacy_sink,
        privacy_source as privacy_source,
    )
    from ._scene import (
        Contact as Contact, FrameContacts as FrameContacts, SceneError as SceneError,
        contact_frames as contact_frames, first_contact as first_contact,
    )
    from ._trace import Trace as Trace, TraceVerifier as TraceVerifier, check_trace as check_trace
    from ._trace_expr import Expr as Expr, contact as contact, state as state
    from ._z3 import SolverError as SolverError

# public name -> private module that defines it
_EXPORTS: dict[str, str] = {
    # --- Z3 preconditions and plans (issue 4) ---
    "PlanResult": "._plans",
    "Policy": "._preconditions",
    "PolicyInvariant": "._policy_lint",
    "PolicyLintWarning": "._policy_lint",
    "Postcondition": "._preconditions",
    "Precondition": "._preconditions",
    "PreconditionGuard": "._preconditions",
    "SolverError": "._z3",
    "Step": "._plans",
    "Sym": "._plans",
    "ensures": "._preconditions",
    "requires": "._preconditions",
    "verify_plan": "._plans",
    # --- numba collision and state verifiers (issue 5) ---
    "After": "._invariants",
    "Always": "._invariants",
    "Bounds": "._invariants",
    "CollisionGuard": "._collision",
    "Conserved": "._invariants",
    "Contact": "._scene",
    "Expr": "._trace_expr",
    "FrameContacts": "._scene",
    "Invariant": "._invariants",
    "Monotonic": "._invariants",
    "NoContact": "._invariants",
    "SceneError": "._scene",
    "Trace": "._trace",
    "TraceVerifier": "._trace",
    "Violation": "._invariants",
    "While": "._invariants",
    "check_trace": "._trace",
    "contact": "._trace_expr",
    "contact_frames": "._scene",
    "first_contact": "._scene",
    "path_shapes": "._collision",
    "state": "._trace_expr",
    # --- privacy flow (issue 6) ---
    "APPROVE_FOR_RECIPIENT": "._privacy",
    "APPROVE_ONCE": "._privacy",
    "FlowViolation": "._privacy",
    "HandleError": "._handles",
    "PrivacyFlow": "._flow",
    "PrivacyGuard": "._privacy",
    "PrivacyPolicy": "._privacy_decl",
    "compute": "._compute",
    "REJECT": "._privacy",
    "Sink": "._privacy_decl",
    "Source": "._privacy_decl",
    "TraceError": "._audit",
    "audit_trace": "._audit",
    "privacy_sink": "._privacy_decl",
    "privacy_source": "._privacy_decl",
    "trace_from_journal": "._audit",
    "trace_from_messages": "._audit",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'guards' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    if isinstance(value, type) or callable(value):
        try:  # tracebacks and reprs say guards.X, not guards._module.X
            value.__module__ = __name__
        except (AttributeError, TypeError):
            pass
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
