"""`sync-ai-models serve` as a real process on a free loopback port (tests and benchmarks)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

CLI = Path(sys.executable).with_name("sync-ai-models")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    final_log: str | None = None
    """Everything the server wrote, kept once it has stopped (the log file is then gone)."""

    def log(self) -> str:
        if self.final_log is not None:
            return self.final_log
        return self.log_path.read_text(errors="replace")


@contextmanager
def serve(env: Mapping[str, str], *extra_args: str, ready_within: float = 30.0) -> Iterator[Served]:
    """Starts the server with exactly this environment (plus PATH/HOME), waits for /health."""
    port = free_port()
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("wb") as log_file:
            process = subprocess.Popen(
                [str(CLI), "serve", "--host", "127.0.0.1", "--port", str(port), *extra_args],
                env={**base, **env},
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            served = Served(f"http://127.0.0.1:{port}", process, log_path)
            try:
                _wait_ready(served, ready_within)
                yield served
            finally:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(15)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
                served.final_log = served.log()


def _wait_ready(served: Served, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise RuntimeError(f"server exited with {served.process.returncode}:\n{served.log()}")
        try:
            if httpx.get(served.url + "/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready within {within}s:\n{served.log()}")
