"""The error for a missing `otlp` extra says how to install it from the checkout, and names the
variable that asked for OTLP.

`vfa`, like `guards` and `graphs`, is the name of an unrelated project on PyPI: the README tells users
never to `pip install vfa` from the registry. The message said "install the extra `vfa[otlp]`", which a
user reads as `pip install 'vfa[otlp]'`: the registry's unrelated `vfa`. It must say to install the
extra from vfa's checkout (`pip install -e '.[otlp]'`). And with only `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`
set, it said `OTEL_EXPORTER_OTLP_ENDPOINT is set`, a variable the user never set.

Fixed: the message names the endpoint variable that is set and says pip install -e '.[otlp]' from the
checkout.
"""

from __future__ import annotations

import importlib.util

import pytest

from vfa import configure_tracing


def _has_otlp() -> bool:
    try:
        return importlib.util.find_spec("opentelemetry.exporter.otlp.proto.http.trace_exporter") is not None
    except ImportError:
        return False


pytestmark = pytest.mark.skipif(_has_otlp(), reason="the otlp extra is installed")


@pytest.mark.parametrize("variable", ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"])
def test_missing_extra_names_the_variable_and_the_checkout_install(monkeypatch, variable):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    monkeypatch.setenv(variable, "http://127.0.0.1:9")
    with pytest.raises(ImportError) as caught:
        configure_tracing(None, set_global=False)
    message = str(caught.value)
    assert f"{variable} is set" in message, message
    assert "pip install -e '.[otlp]'" in message, message


def test_missing_extra_asked_by_argument_says_so(monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", raising=False)
    with pytest.raises(ImportError) as caught:
        configure_tracing(None, set_global=False, otlp=True)
    message = str(caught.value)
    assert message.startswith("otlp=True") and "pip install -e '.[otlp]'" in message, message
