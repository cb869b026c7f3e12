"""Every line of the JSONL trace file is strict JSON, whatever numbers a span's attributes hold.

The tracer provider vfa configures is the process's, so any span may reach the file, and an attribute may
be a NaN or an infinity (a measured ratio, a score). Python's `json.dumps` writes them as bare `NaN` and
`Infinity`, which no strict JSON reader (jq, JavaScript's JSON.parse, most log pipelines) accepts: one such
span made its line unreadable to them.

Fixed: the file writes a non-finite number as the text OTLP's JSON writes it ("NaN", "Infinity",
"-Infinity"), in a span's attributes, its events' attributes and inside a list attribute.
"""

from __future__ import annotations

import json

import pytest

from vfa import _tracing, configure_tracing


def _strict(text: str) -> object:
    def refuse(name: str) -> object:
        raise ValueError(f"not strict JSON: {name}")
    return json.loads(text, parse_constant=refuse)


def test_non_finite_attributes_are_written_as_strict_json(tmp_path) -> None:
    path = tmp_path / "trace.jsonl"
    provider = configure_tracing(path, set_global=False, otlp=False)
    try:
        tracer = provider.get_tracer("app")
        with tracer.start_as_current_span("score") as span:
            span.set_attribute("ratio", float("nan"))
            span.set_attribute("bounds", [1.5, float("inf"), float("-inf")])
            span.add_event("measured", {"gap": float("-inf")})
        provider.shutdown()
    finally:  # vfa's spans go back to no provider: later tests see tracing off
        _tracing.use_tracer_provider(None)
        _tracing._state.tracer = None
    lines = path.read_text().splitlines()
    assert len(lines) == 1
    try:
        span_json = _strict(lines[0])
    except ValueError as exc:
        pytest.fail(f"{exc}: {lines[0][:200]}")
    assert span_json["attributes"] == {"ratio": "NaN", "bounds": [1.5, "Infinity", "-Infinity"]}
    assert span_json["events"][0]["attributes"] == {"gap": "-Infinity"}
