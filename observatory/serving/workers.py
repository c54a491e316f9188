"""`python -m observatory serve`: the Streamlit workers, one per core, each on its own local port,
and nginx in front of them; all read the same base file, read-only, and each sees an import's new
file at its next rerun (`ui.session`), with no restart."""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from observatory import paths
from observatory.serving import proxy

NGINX_FALLBACK = "/usr/sbin/nginx"
START_TIMEOUT_S = 90


class ServeError(Exception):
    """Why the workers or the proxy could not start, in French."""


@dataclass
class Pool:
    url: str  # the proxy's address, as visitors use it
    workers: list[str]  # « 127.0.0.1:8502 », one per worker
    processes: list[subprocess.Popen]  # the workers, then nginx


def nginx_binary() -> str:
    found = shutil.which("nginx") or (NGINX_FALLBACK if Path(NGINX_FALLBACK).exists() else None)
    if found is None:
        raise ServeError("nginx est absent de cette machine : installez le paquet Debian « nginx » "
                         "(apt-get install nginx), ou servez avec un seul processus (scripts/dashboard.sh).")
    return found


def port_free(port: int) -> bool:
    """Whether a server could listen on `port` of this machine now."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the servers do: a closed connection's wait does not count
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _start_worker(db: Path, port: int, cookie_secret: str) -> subprocess.Popen:
    # One cookie secret for all: a visitor's signed cookies read the same on every worker.
    env = {**os.environ, "OBSERVATORY_DB": str(db), "STREAMLIT_SERVER_COOKIE_SECRET": cookie_secret}
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=paths.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=None)


def _wait_answers(url: str, processes: list[subprocess.Popen], what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        if any(p.poll() is not None for p in processes) or time.monotonic() > deadline:
            raise ServeError(f"{what} n'a pas démarré ({url}) : voir les messages ci-dessus.")
        time.sleep(0.1)


def stop(processes: list[subprocess.Popen]) -> None:
    for process in reversed(processes):  # the proxy first: no visitor reaches a stopping worker
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def start(db: Path, workers: int, port: int, address: str, run_dir: Path) -> Pool:
    """Start `workers` Streamlit processes on ports port+1… and nginx on address:port; ServeError
    (everything started stopped again) when a port is taken or a process does not answer."""
    nginx = nginx_binary()
    ports = [port + i for i in range(1, workers + 1)]
    busy = [p for p in [port, *ports] if not port_free(p)]
    if busy:
        raise ServeError(f"port(s) déjà utilisé(s) : {', '.join(map(str, busy))} ; choisissez-en d'autres avec --port.")
    secret = secrets.token_hex(32)
    processes = [_start_worker(db, p, secret) for p in ports]
    try:
        for p in ports:
            _wait_answers(f"http://127.0.0.1:{p}/_stcore/health", processes, f"le processus du port {p}")
        members = [f"127.0.0.1:{p}" for p in ports]
        config = run_dir / "nginx.conf"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run_dir / kind).mkdir(mode=0o777, exist_ok=True)
            (run_dir / kind).chmod(0o777)  # nginx's workers may run as another user
        config.write_text(proxy.nginx_config(f"{address}:{port}", members, run_dir), encoding="utf-8")
        processes.append(subprocess.Popen([nginx, "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-c", str(config)]))
        local = "127.0.0.1" if address in ("0.0.0.0", "::", "[::]") else address
        url = f"http://{local}:{port}"
        _wait_answers(f"{url}/_stcore/health", processes, "nginx")
        return Pool(url, members, processes)
    except BaseException:
        stop(processes)
        raise


@contextlib.contextmanager
def running(db: Path, workers: int, port: int, address: str = "127.0.0.1"):
    """A started pool (see `start`), stopped on exit."""
    with tempfile.TemporaryDirectory(prefix="observatory-serve-") as run_dir:
        Path(run_dir).chmod(0o755)
        pool = start(db, workers, port, address, Path(run_dir))
        try:
            yield pool
        finally:
            stop(pool.processes)


def serve(db: Path, workers: int, port: int, address: str) -> int:
    """Run until Ctrl+C, a SIGTERM (systemd's stop) or a process that stops (then stop the others):
    the command's body."""
    def leave(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGHUP, leave)
    with running(db, workers, port, address) as pool:
        print(f"Tableau de bord servi par {workers} processus derrière nginx : {pool.url} "
              f"(à l'écoute sur {address}:{port}). Ctrl+C pour arrêter.", flush=True)
        try:
            while all(p.poll() is None for p in pool.processes):
                time.sleep(1)
        except KeyboardInterrupt:
            return 0
    print("Un des processus s'est arrêté : les autres ont été arrêtés aussi.", file=sys.stderr)
    return 1
