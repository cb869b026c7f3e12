"""`vfa demo` stays offline when the environment turns LangSmith tracing on.

README: "Set up and run the demo (offline: a deterministic model, SQLite journal and
checkpoints, spans to a local JSONL file)", and the demo's files are its owner's alone (mode 0600)
because they hold what tools were given or returned. LangChain, under the demo's LangGraph run, reads
`LANGSMITH_TRACING=true` (or `LANGCHAIN_TRACING_V2`) from the environment, as a LangChain developer's
shell often sets it, and uploads the whole run, every tool call's arguments and results (payees,
amounts, the balance), to the LangSmith endpoint: about 160 KB for one demo, to a server, from a
command that says it is offline.

What must hold: with LangSmith tracing switched on in the environment, `vfa demo` runs as it does
without it and sends nothing to the LangSmith endpoint (here a local server that records requests).

Fixed: the demo's run is wrapped in langsmith's tracing_context(enabled=False).
"""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_sends_nothing_to_langsmith_when_the_environment_enables_it(tmp_path):
    seen: list[str] = []

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            seen.append(f"{self.command} {self.path}")
            self.rfile.read(int(self.headers.get("content-length") or 0))
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        do_GET = do_POST = do_PATCH = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LANGSMITH_TRACING": "true", "LANGSMITH_API_KEY": "lsv2_test",
               "LANGSMITH_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}"}
        proc = subprocess.run([sys.executable, "-m", "vfa", "demo", "--dir", "out", "--yes"], cwd=tmp_path,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120, env=env)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, proc.stderr[-600:]
    assert "balance now 90" in proc.stdout, proc.stdout[-400:]
    assert not seen, f"the offline demo sent its run to the LangSmith endpoint: {seen}"
