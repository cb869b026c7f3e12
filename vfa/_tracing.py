"""OpenTelemetry for vfa: the only module that touches OTel.

Spans follow the OpenTelemetry GenAI semantic conventions (`invoke_agent {name}`,
`execute_tool {tool}`, with `gen_ai.*` attributes) and add one `run_guardrail {guard}` span per
guard decision; vfa's own attributes live under `vfa.*`. `import vfa` loads only the OTel API; the
SDK is imported by `configure_tracing`, which sets up the embedded default (spans to a JSONL file)
or OTLP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
"""

from __future__ import annotations

import json
import logging
import math
import os
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from opentelemetry import context, metrics, trace

from ._exceptions import ConfigError, VfaError

__all__ = ["configure_tracing", "provider_kept", "tracing_enabled", "use_tracer_provider"]

_SCOPE = "vfa"


class _State:
    provider: Any = None  # a vfa-local override (tests, benchmarks); None: the global provider
    owned: Any = None  # the provider `configure_tracing(set_global=False)` made: vfa's alone to shut down
    made_global: Any = None  # (provider, settings) of the global provider `configure_tracing` set
    tracer: Any = None
    verdicts: Any = None
    latency: Any = None


_state = _State()


def use_tracer_provider(provider: Any, meter_provider: Any = None) -> None:
    """Send vfa's spans (and metrics) to these providers instead of the global ones; None restores."""
    _state.provider = provider
    _state.tracer = provider.get_tracer(_SCOPE) if provider is not None else None
    _instruments(meter_provider if meter_provider is not None else metrics.get_meter_provider())


@contextmanager
def provider_kept() -> Iterator[None]:
    """Put vfa's tracer provider back as it was once the block ends: a command run inside an application
    (`vfa demo`, whose provider is its run's own) leaves the application's spans where they went."""
    before = dict(vars(_state))
    _state.owned = None  # the application's own provider is not the block's to shut down when it configures anew
    try:
        yield
    finally:
        vars(_state).clear()
        vars(_state).update(before)


def _tracer() -> Any:
    if _state.tracer is not None:
        return _state.tracer
    provider = trace.get_tracer_provider()
    if isinstance(provider, (trace.ProxyTracerProvider, trace.NoOpTracerProvider)):
        return None
    use_tracer_provider(provider)
    _state.provider = None  # follow the global provider, but cache its tracer
    return _state.tracer


def _metered() -> bool:
    """Whether the guard metrics have somewhere to go: instruments made for a meter provider (given to
    `use_tracer_provider`, or with the tracer of the global one), else the global meter provider once an
    application set one, which may export metrics alone (nothing is made or recorded before)."""
    if _state.verdicts is not None:
        return True
    mp = metrics.get_meter_provider()
    if isinstance(mp, metrics.NoOpMeterProvider) or type(mp).__name__ == "_ProxyMeterProvider":
        return False
    _instruments(mp)
    return True


def _instruments(mp: Any) -> None:
    meter = mp.get_meter(_SCOPE)
    _state.verdicts = meter.create_counter(
        "vfa.guard.verdicts", unit="{verdict}", description="Guard verdicts by guard and outcome")
    _state.latency = meter.create_histogram(
        "vfa.guard.duration", unit="s", description="Time a guard took to decide")


def tracing_enabled() -> bool:
    """True when spans go somewhere; with no provider set, vfa skips building them at all."""
    return _tracer() is not None


def _quietly(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """`fn(*args, **kwargs)`, or None where the tracing pipeline raised: the SDK hands what a span processor raises
    in `on_start` or `on_end` to whoever starts or ends the span, here the call being decided. Tracing observes;
    the journal is the record, so a failing processor (logged, as the SDK logs a failing exporter) changes no
    verdict and loses no result."""
    try:
        return fn(*args, **kwargs)
    except Exception:
        logging.getLogger(__name__).exception("vfa: the tracing pipeline raised; the span is left out")
        return None


@contextmanager
def span(name: str, attributes: dict[str, Any]) -> Iterator[Any]:
    """A current span, or nothing when tracing is off (or its span could not be started)."""
    tracer = _tracer()
    s = None if tracer is None else _quietly(tracer.start_span, name, attributes=_clean(attributes))
    if s is None:
        yield None
        return
    token = context.attach(trace.set_span_in_context(s))
    try:
        yield s
    except BaseException as exc:
        # an exception's message and stack may quote what a tool was given (the values behind handles, a
        # tool's own question): a span records an exception by its type only
        _record_failure(s, exc)
        raise
    finally:
        context.detach(token)
        _quietly(s.end)


def start_detached(name: str, attributes: dict[str, Any]) -> tuple[Any, Any] | None:
    """Start a span without making it current: (span, context to attach), or None when tracing is off.

    For spans that outlive a `yield`: the caller attaches the context around each step it runs,
    so the span is never left current in its consumer's code between steps.
    """
    tracer = _tracer()
    span = None if tracer is None else _quietly(tracer.start_span, name, attributes=_clean(attributes))
    if span is None:
        return None
    return span, trace.set_span_in_context(span)


@contextmanager
def attached(ctx: Any) -> Iterator[None]:
    """Make `ctx` current for the block."""
    token = context.attach(ctx)
    try:
        yield
    finally:
        context.detach(token)


def end_span(span: Any, error: BaseException | None = None) -> None:
    """End a detached span, marking it failed when the run raised."""
    if error is not None and not isinstance(error, GeneratorExit):
        _record_failure(span, error)
    _quietly(span.end)


def _record_failure(span: Any, exc: BaseException) -> None:
    """Mark a span failed by the exception's type, never its message; a pause (LangGraph's interrupt,
    raised through the span to reach the graph) is no failure."""
    kind = type(exc)
    if not issubclass(kind, VfaError) and any(c.__name__ == "GraphBubbleUp" for c in kind.__mro__):
        span.set_attribute("vfa.paused", True)
        return
    name = f"{kind.__module__}.{kind.__qualname__}"
    span.add_event("exception", {"exception.type": name})
    span.set_attribute("error.type", name)  # the conventions' "Recording errors": status and error.type both
    span.set_status(trace.Status(trace.StatusCode.ERROR, kind.__name__))


def record_outcome(span: Any, outcome: str, failed: bool, *, replayed: bool = False) -> None:
    """Mark an `execute_tool` span with its call's outcome; a call that did not commit (denied, rejected,
    failed) ends the span in error, `error.type` naming the outcome as the GenAI conventions ask. A call
    answered from the journal (`vfa.replayed`, its node run again) is not counted again: the span of the
    run that decided it ended in error."""
    span.set_attribute("vfa.outcome", outcome)
    if replayed:
        span.set_attribute("vfa.replayed", True)
    elif failed:
        span.set_attribute("error.type", outcome)
        span.set_status(trace.Status(trace.StatusCode.ERROR, outcome))


def record_decisions(decisions: Sequence[Any], tool: str, call_id: str) -> None:
    """One `run_guardrail {guard}` span per decision, under the current span, plus the metrics (recorded with
    no tracer provider too, where a meter provider is set: an application may export metrics alone)."""
    tracer = _tracer()
    if tracer is None:
        if _metered():
            for d in decisions:
                _metric(d)
        return
    for d in decisions:
        v = d.verdict
        attrs = {
            "gen_ai.operation.name": "run_guardrail",
            "gen_ai.tool.name": tool,
            "gen_ai.tool.call.id": call_id,
            "vfa.guard": d.guard,
            "vfa.verdict": v.kind,
            "vfa.latency_s": d.latency_s,
        }
        reason = getattr(v, "reason", None) or getattr(v, "question", None)
        if reason:
            attrs["vfa.reason"] = reason
        if getattr(v, "hint", None):
            attrs["vfa.hint"] = v.hint
        # as the model reads it: keys beginning with "_" are for the journal alone (the privacy guard's
        # whole violation names its readers, a private field's value among them)
        evidence = {k: e for k, e in (getattr(v, "evidence", None) or {}).items()
                    if not (isinstance(k, str) and k.startswith("_"))}
        if evidence:
            attrs["vfa.evidence"] = json.dumps(evidence, default=repr)
        if v.kind in ("deny", "repair"):  # ended in error: `error.type` names the verdict, as for a call's outcome
            attrs["error.type"] = v.kind
        s = _quietly(tracer.start_span, f"run_guardrail {d.guard}", attributes=attrs)  # a leaf: never made current
        if s is not None:
            if v.kind in ("deny", "repair"):
                s.set_status(trace.Status(trace.StatusCode.ERROR, reason or v.kind))
            _quietly(s.end)
        _metric(d)


def _metric(d: Any) -> None:
    """Count a decision and record how long it took (`vfa.guard.verdicts`, `vfa.guard.duration`)."""
    _quietly(_state.verdicts.add, 1, {"vfa.guard": d.guard, "vfa.verdict": d.verdict.kind})
    _quietly(_state.latency.record, d.latency_s, {"vfa.guard": d.guard})


def record_answer(guard: str, answer: str) -> None:
    """A person's answer to a guard's question (approve, edit or reject), as the event `vfa.answer` on the current
    span (its call's `execute_tool`), once, in the run that takes it; never the edit's arguments or the reject's
    words, which hold what the person typed."""
    if _tracer() is None:
        return
    trace.get_current_span().add_event("vfa.answer", {"vfa.answer": answer, "vfa.guard": guard})


def _clean(attributes: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in attributes.items():
        if v is None:
            continue
        out[k] = v if isinstance(v, (str, bool, int, float)) else json.dumps(v, default=repr)
    return out


class _JsonlSpanExporter:
    """Writes each finished span as one JSON line: the embedded default, readable without a collector."""

    def __init__(self, path: Path) -> None:
        # absolute: `_follow` looks at the path again before each batch, which a process that changed its working
        # folder would read elsewhere (a new trace begun there), as `logging`'s WatchedFileHandler knows
        self.path = Path(os.path.abspath(path))
        self._lock = threading.Lock()
        self._file = _open_trace(path)
        self._mid_line = _ends_mid_line(path, self._file)
        """The file ends inside a line (a run cut off in one): the next batch begins on a line of its own."""

    def _follow(self) -> None:
        """Open the file at the path again where it was moved or removed (log rotation): spans go to the
        path named, not to a file renamed away or deleted (whose space is never freed while it is held)."""
        try:
            now = os.stat(self.path)
        except FileNotFoundError:
            now = None
        held = os.fstat(self._file.fileno())
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            return
        fresh = _open_trace(self.path)
        self._file.close()
        self._file, self._mid_line = fresh, _ends_mid_line(self.path, fresh)

    def export(self, spans: Sequence[Any]) -> Any:
        from opentelemetry.sdk.trace.export import SpanExportResult

        lines = []
        for s in spans:
            ctx = s.get_span_context()
            lines.append(json.dumps({
                "name": s.name,
                "trace_id": format(ctx.trace_id, "032x"),
                "span_id": format(ctx.span_id, "016x"),
                "parent_id": format(s.parent.span_id, "016x") if s.parent else None,
                "start_ns": s.start_time,
                "end_ns": s.end_time,
                "status": s.status.status_code.name,
                "attributes": _strict(s.attributes),
                **({"events": [{"name": ev.name, "time_ns": ev.timestamp, "attributes": _strict(ev.attributes)}
                               for ev in s.events]} if s.events else {}),
                "service": (s.resource.attributes or {}).get("service.name"),
            }, default=repr))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        with self._lock:
            if self._file.closed:
                return SpanExportResult.FAILURE
            self._follow()  # an OSError (its folder gone for good): the SDK logs it and drops the batch
            # looked at before each batch, not only at open: another process appending to the same path (the
            # default one, shared by an app's workers) may have been cut off inside a line since
            if self._mid_line or _ends_mid_line(self.path, self._file):
                data = b"\n" + data
            left = memoryview(data)
            try:
                while left:
                    left = left[self._file.write(left):]
            except OSError:  # the SDK logs it and drops the batch; a line it cut is ended by the next one
                if len(left) < len(data):
                    self._mid_line = data[len(data) - len(left) - 1] != 0x0A
                raise
            self._mid_line = False
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        """Close the file (unbuffered: nothing is left to write, so a full disk fails no exit)."""
        with self._lock:
            self._file.close()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        """Each export is flushed as it is written, so there is nothing left to flush."""
        return True


_NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def _strict(attributes: Any) -> dict[str, Any]:
    """Span attributes as strict JSON holds them: a NaN or an infinity (any span may carry one: the provider
    is the process's) as the text OTLP's JSON writes it, "NaN" or "Infinity"; Python's bare NaN is no JSON."""
    def one(v: Any) -> Any:
        if isinstance(v, float) and not math.isfinite(v):
            return _NON_FINITE[repr(v)]
        if isinstance(v, (tuple, list)):
            return [one(x) for x in v]
        return v
    return {k: one(v) for k, v in (attributes or {}).items()}


def _open_trace(path: Path) -> Any:
    """The trace file at `path`, opened to append (made, with its folder, if it is not there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # one handle, unbuffered: each batch is written whole or known to be cut (a full disk), and nothing is
    # left in a buffer for a close to fail on at exit; made its owner's alone: spans hold verdicts' reasons
    # and evidence, argument values among them
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab", buffering=0)


def _ends_mid_line(path: Path, file: Any) -> bool:
    """True when the regular file `file` (open on `path`) holds text whose last line has no newline."""
    info = os.fstat(file.fileno())
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:  # a device or a pipe: nothing to read back
        return False
    try:
        with path.open("rb") as read:
            read.seek(-1, os.SEEK_END)
            return read.read(1) != b"\n"
    except OSError:  # unreadable (write-only): its lines are as the writer left them
        return False


def _trace_file(path: str | Path) -> Path:
    """The trace file at `path`; `ConfigError` for a path that is no file's (a folder, an empty text)."""
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise ConfigError(f"the trace path must name a file, not {path!r:.80}")
    file = Path(path)
    if file.is_dir():
        raise ConfigError(f"the trace path {str(file)!r} is a folder; name a file in it, e.g. {str(file / 'trace.jsonl')!r}")
    return file


def configure_tracing(path: str | Path | None = ".vfa/trace.jsonl", *, service_name: str | None = None,
                      set_global: bool = True, otlp: bool | None = None) -> Any:
    """Set up the OTel SDK the standard way and return the tracer provider.

    Spans go to the JSONL file at `path` (None: no file) and, with `OTEL_EXPORTER_OTLP_ENDPOINT` set
    (`otlp=None`, the default) or `otlp=True`, over OTLP too, which needs the `otlp` extra (else
    `ImportError`); `otlp=False` never sends them. `OTEL_SERVICE_NAME` names the service (default "vfa").
    Called again, it shuts down the provider an earlier `set_global=False` call made (its spans written out);
    called again with the settings of an earlier `set_global` call, it returns the provider that call set.

    Raises:
        ConfigError: `set_global` while the application already set its own global provider, which
            OpenTelemetry never replaces: vfa's spans go to that provider (add the exporters there), or
            to this one alone with `set_global=False`.
    """
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    if service_name is not None and not isinstance(service_name, str):  # the SDK drops it with a log line
        raise ConfigError(f"service_name must be text, not {type(service_name).__name__} {service_name!r:.60}")
    if otlp is not None and otlp.__class__ is not bool:  # "no" would read as true and send spans away
        raise ConfigError(f"otlp must be True, False or None (as the environment says), not {otlp!r:.60}")
    current = trace.get_tracer_provider()
    where = os.path.abspath(os.fspath(path)) if isinstance(path, (str, os.PathLike)) else path  # a bad one: refused below
    settings = (where, service_name, otlp)
    made = _state.made_global
    if set_global and made is not None and made[0] is current:
        # set by an earlier call in this process (a notebook's cell run again): OTel keeps it for good
        if made[1] == settings:
            previous, _state.owned = _state.owned, None
            use_tracer_provider(current)
            if previous is not None:  # replaced, as below: its spans written out and its worker ended
                previous.shutdown()
            return current
        raise ConfigError("configure_tracing already set the global tracer provider in this process, with other "
                          f"settings (path, service name, otlp: {made[1]!r}), and OpenTelemetry does not replace "
                          "it: call it with the same settings (it returns that provider), pass set_global=False "
                          "for a provider of vfa's own, or restart the process")
    if set_global and not isinstance(current, trace.ProxyTracerProvider):
        # OTel refuses a second global provider with a log line only: vfa's spans would leave the application's
        # exporters (its request spans left without them) for a provider nothing else in the process uses
        raise ConfigError(f"a global tracer provider is already set ({type(current).__name__}), and OpenTelemetry "
                          "does not replace it: vfa's spans go to it as they are; add your exporters to it, or pass "
                          "set_global=False to send vfa's spans to a provider of their own")
    # the file first: a path that cannot be written fails here, before a provider (and its OTLP worker) exists
    jsonl = _JsonlSpanExporter(_trace_file(path)) if path is not None else None
    try:
        resource = Resource.create({SERVICE_NAME: service_name or os.environ.get("OTEL_SERVICE_NAME", "vfa")})
        provider = TracerProvider(resource=resource)
        asked = otlp is True
        endpoint = next((v for v in ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
                         if os.environ.get(v)), None)
        if otlp is None:
            otlp = endpoint is not None
        if otlp:
            try:
                from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
            except ImportError as exc:
                why = "otlp=True" if asked else f"{endpoint} is set"
                # from the checkout: `vfa` on PyPI is an unrelated project, so never `pip install 'vfa[otlp]'`
                raise ImportError(f"{why}: install the extra `vfa[otlp]` from vfa's checkout "
                                  "(`pip install -e '.[otlp]'`) to send spans over OTLP") from exc
            provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        if jsonl is not None:
            # batched: spans are written by the SDK's worker, off the agent's path (flushed at exit and
            # on force_flush); the journal, not the trace, is the durable record of what happened
            provider.add_span_processor(BatchSpanProcessor(jsonl))
    except BaseException:
        if jsonl is not None:  # a set-up that fails leaves no file open (the demo calls again without OTLP)
            jsonl.shutdown()
        raise
    if set_global:
        trace.set_tracer_provider(provider)
        _state.made_global = (provider, settings)
    previous, _state.owned = _state.owned, None if set_global else provider
    use_tracer_provider(provider)
    if previous is not None:  # replaced: its spans written out and its worker thread ended, not left running
        previous.shutdown()
    return provider
