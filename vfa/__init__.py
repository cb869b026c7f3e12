"""vfa: agents whose tool calls are verified before they happen."""

from ._effects import Effect as Effect, annotate as annotate, effect as effect, in_commit as in_commit
from ._exceptions import (
    ConfigError as ConfigError,
    CoverageError as CoverageError,
    JournalError as JournalError,
    PolicyError as PolicyError,
    UnmediatedEffectError as UnmediatedEffectError,
    VfaError as VfaError,
)
from ._guard import FunctionGuard as FunctionGuard, Guard as Guard, GuardContext as GuardContext, guard as guard
from ._labels import PUBLIC as PUBLIC, USER as USER, Label as Label
from ._proposal import CommitRecord as CommitRecord, Proposal as Proposal
from ._tools import ToolSpec as ToolSpec
from ._verdict import ALLOW as ALLOW, Allow as Allow, Decision as Decision, Deny as Deny, Escalate as Escalate, Repair as Repair, Verdict as Verdict
