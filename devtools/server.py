"""A `streamlit run app.py` server on a free local port, for browser tests and the benchmark."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from observatory import paths


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(db_path: Path, script: str = "app.py") -> tuple[subprocess.Popen, str]:
    """Start the server (not waiting for it); returns the process and its base URL."""
    port = free_port()
    env = {**os.environ, "OBSERVATORY_DB": str(db_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=paths.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_until_answers(process: subprocess.Popen, url: str, timeout: float = 60) -> None:
    """Wait until `url` answers 200 (a server started by `process`); RuntimeError if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"le serveur n'a pas répondu ({url}) : {output}")
        time.sleep(0.05)


def wait_healthy(process: subprocess.Popen, base: str, timeout: float = 60) -> None:
    wait_until_answers(process, f"{base}/_stcore/health", timeout)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@contextlib.contextmanager
def streamlit_server(db_path: Path, script: str = "app.py"):
    """A running server (its base URL), stopped on exit."""
    process, base = start(db_path, script)
    try:
        wait_healthy(process, base)
        yield base
    finally:
        stop(process)


def peak_memory_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"VmHWM absent pour le processus {pid}")
