"""Who is running a journaled effect: a write-ahead record names its run, so a crash can be told from
a commit that another replica has under way.

A SQLite journal in WAL mode is shared only by processes of one host (WAL needs shared memory), so
a record names the host, the process id and the process's start time, and a reader checks that
process as the operating system sees it; within one process, the runs under way are kept here.
A record written on another host, in another boot of this one or in another PID namespace (a
container) cannot be checked and is read as it was before records named their run: cut off by a crash.
"""

from __future__ import annotations

import os
import socket
import threading
from typing import Any

__all__ = ["Running", "alive", "owner"]

_LOCK = threading.Lock()
_UNDER_WAY: dict[tuple[str, str, str], int] = {}
"""(journal, thread id, call id) -> how many runs of this process hold it (one, as a rule)."""
_SELF: tuple[int, dict[str, Any]] | None = None


def _started(pid: int) -> int | None:
    """When process `pid` started (clock ticks since boot, Linux); None where that cannot be read,
    or -1 for a process that has exited and waits to be reaped (a zombie runs nothing)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rfind(b")") + 2:].split()  # after the command name, which may hold spaces
    try:
        return -1 if fields[0] == b"Z" else int(fields[19])
    except (IndexError, ValueError):
        return None


def owner() -> dict[str, Any]:
    """This process, as a write-ahead record names it."""
    global _SELF
    pid = os.getpid()
    if _SELF is None or _SELF[0] != pid:  # worked out again in a forked child
        _SELF = (pid, {"host": socket.gethostname(), "boot": _boot(), "ns": _pid_namespace(), "pid": pid,
                       "since": _started(pid)})
    return _SELF[1]


def _boot() -> str | None:
    """This boot of the machine (Linux): a record of an earlier boot names a process that is gone."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as f:
            return f.read().strip() or None
    except (OSError, ValueError):
        return None


def _pid_namespace() -> int | None:
    """The PID namespace this process sees (Linux): containers sharing a host name may each have their
    own, where one pid names different processes."""
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return None


class Running:
    """A call under way in this process: held from before its start record can be read until its
    outcome is written; released at most once."""

    __slots__ = ("key", "held")

    def __init__(self, journal: str, thread_id: str, call_id: str) -> None:
        self.key = (journal, thread_id, call_id)
        self.held = False

    def hold(self) -> None:
        with _LOCK:
            _UNDER_WAY[self.key] = _UNDER_WAY.get(self.key, 0) + 1
        self.held = True

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        with _LOCK:
            left = _UNDER_WAY[self.key] - 1
            if left:
                _UNDER_WAY[self.key] = left
            else:
                del _UNDER_WAY[self.key]


def alive(journal: str, thread_id: str, call_id: str, by: Any) -> bool:
    """Whether the run a write-ahead record names (`by`, its "owner") is still alive: in this process,
    if it holds the call; in another process of this host, if that process has not exited (the same
    pid with another start time is a new process that reused it). False when the record names no run,
    one on another host, or one of another process where processes cannot be probed (not POSIX)."""
    me = owner()
    if not isinstance(by, dict) or any(by.get(k) != me[k] for k in ("host", "boot", "ns")):
        return False  # another host, boot or PID namespace: its pid cannot be probed from here
    pid = by.get("pid")
    if pid.__class__ is not int or pid <= 0:  # 0 and -1 would probe a whole group of processes
        return False
    if pid == os.getpid() and by.get("since") == me["since"]:
        with _LOCK:
            return (journal, thread_id, call_id) in _UNDER_WAY
    if os.name != "posix":  # signal 0 probes a process on POSIX only (on Windows, os.kill ends it)
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        pass
    except OSError:
        return False
    since = _started(pid)
    return since != -1 and (since is None or by.get("since") is None or since == by["since"])
