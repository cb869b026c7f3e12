"""vfa: agents whose tool calls are verified before they happen.

An agent proposes; guards verify; only then is the effect committed, once, and journaled.
"""

from ._chain import ChainResult as ChainResult, GuardChain as GuardChain
from ._compile import Agent as Agent, GuardedGraph as GuardedGraph
from ._coverage import check_coverage as check_coverage, unmediated_nodes as unmediated_nodes
from ._effects import Effect as Effect, annotate as annotate, effect as effect, in_commit as in_commit
from ._exceptions import (
    AnswerError as AnswerError,
    CallInFlightError as CallInFlightError,
    ConfigError as ConfigError,
    CoverageError as CoverageError,
    JournalError as JournalError,
    PolicyError as PolicyError,
    ThreadBusy as ThreadBusy,
    UnmediatedEffectError as UnmediatedEffectError,
    VfaError as VfaError,
)
from ._guard import FunctionGuard as FunctionGuard, Guard as Guard, GuardContext as GuardContext, guard as guard
from ._guard_node import Flow as Flow, GuardNode as GuardNode
from ._journal import EffectJournal as EffectJournal, JournalEntry as JournalEntry
from ._labels import PUBLIC as PUBLIC, USER as USER, Label as Label
from ._proposal import CommitRecord as CommitRecord, Proposal as Proposal
from ._tools import ArgumentError as ArgumentError, ToolSpec as ToolSpec
from ._tracing import configure_tracing as configure_tracing, tracing_enabled as tracing_enabled
from ._verdict import (
    ALLOW as ALLOW,
    Allow as Allow,
    Decision as Decision,
    Deny as Deny,
    Escalate as Escalate,
    Repair as Repair,
    Verdict as Verdict,
)

__all__ = [
    "ALLOW", "Agent", "Allow", "AnswerError", "ArgumentError", "CallInFlightError", "ChainResult", "CommitRecord", "ConfigError",
    "CoverageError", "Decision", "Deny", "Effect", "EffectJournal", "Escalate", "Flow", "FunctionGuard", "Guard",
    "GuardChain", "GuardContext", "GuardNode", "GuardedGraph", "JournalEntry", "JournalError", "Label",
    "PUBLIC", "PolicyError", "Proposal", "Repair", "ThreadBusy", "ToolSpec", "USER", "UnmediatedEffectError", "Verdict",
    "VfaError", "annotate", "check_coverage", "configure_tracing", "effect", "guard", "in_commit",
    "tracing_enabled", "unmediated_nodes",
]

# Tracebacks and reprs say `vfa.Deny`, not `vfa._verdict.Deny`: the private modules are an implementation detail.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) or callable(_obj) and hasattr(_obj, "__module__"):
        try:
            _obj.__module__ = __name__
        except (AttributeError, TypeError):
            pass
del _name, _obj
