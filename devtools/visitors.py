"""Many visitors at once, as at the annual conference: each opens a session over Streamlit's own
websocket protocol (no browser), runs a page, then reruns it; we time each run from the request to
the server's « script finished », and read the server's peak memory.

Every visitor's runs are timed on the client's clock: the visitors share this machine with the
server, as phones in a conference room share its network. `python -m observatory bench --visitors N`.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from devtools import server

RUN_TIMEOUT_S = 120


@dataclass
class Visit:
    first_s: float | None = None  # from opening the connection to the first page finished
    runs_s: list[float] = field(default_factory=list)  # every run, the first included
    failure: str | None = None
    elements: int = 0  # what the first run drew (a page that stops early draws few)


class PageFailed(Exception):
    pass


def _rerun_message(page: str, query: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    message = BackMsg()
    message.rerun_script.query_string = query
    message.rerun_script.page_name = page
    return message.SerializeToString()


async def _run_page(websocket, request: bytes) -> tuple[float, int]:
    """Seconds from the request to the run finished, and the elements the page drew; PageFailed
    when the page shows an error instead of its figures."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    elements = 0
    await websocket.send(request)
    while True:
        message = ForwardMsg()
        message.ParseFromString(await asyncio.wait_for(websocket.recv(), RUN_TIMEOUT_S))
        kind = message.WhichOneof("type")
        if kind == "delta":
            element = message.delta.new_element
            shown = element.WhichOneof("type")
            if shown == "exception" or (shown == "alert" and element.alert.format == element.alert.ERROR):
                raise PageFailed((element.exception.message if shown == "exception" else element.alert.body)[:200])
            elements += 1
        if kind == "script_finished":
            if message.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise PageFailed("erreur de compilation")
            if message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                return time.perf_counter() - start, elements
            # FINISHED_EARLY_FOR_RERUN: the app reruns itself (its very first run); wait for that run


async def visit(url: str, page: str, query: str, reruns: int) -> Visit:
    """One visitor: open a session, run `page`, rerun it `reruns` times with unchanged filters."""
    import websockets

    parts = urlsplit(url)
    stream = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
    result = Visit()
    request = _rerun_message(page, query)
    start = time.perf_counter()
    try:
        async with websockets.connect(stream, subprotocols=["streamlit"], max_size=None, open_timeout=RUN_TIMEOUT_S,
                                      ping_interval=None) as websocket:
            first, result.elements = await _run_page(websocket, request)
            result.first_s = time.perf_counter() - start
            result.runs_s.append(first)
            for _ in range(reruns):
                result.runs_s.append((await _run_page(websocket, request))[0])
    except PageFailed as error:
        result.failure = f"la page a affiché une erreur : {error}"
    except (asyncio.TimeoutError, TimeoutError):
        result.failure = f"pas de réponse en {RUN_TIMEOUT_S} s"
    except (OSError, websockets.WebSocketException) as error:
        result.failure = f"connexion perdue ({type(error).__name__})"
    return result


async def _crowd(url: str, visitors: int, page: str, query: str, reruns: int) -> list[Visit]:
    return list(await asyncio.gather(*(visit(url, page, query, reruns) for _ in range(visitors))))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def summary(values: list[float]) -> dict:
    if not values:
        return {"count": 0}
    return {"count": len(values), "median_s": round(statistics.median(values), 3),
            "p95_s": round(_percentile(values, 0.95), 3), "max_s": round(max(values), 3)}


def _cpu_seconds(pids: set[int]) -> float:
    """User and system CPU time the processes have used so far."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (the workers of a server started by a script)."""
    children = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
            children.setdefault(int(fields["PPid"].strip()), []).append(int(fields["Pid"].strip()))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children.get(current, [])
    return tree


def measure(url: str, visitors: int, page: str = "", query: str = "", reruns: int = 2,
            server_pids: list[int] | None = None) -> dict:
    """The crowd's figures: first page, every run, failures (with their reasons), server memory
    (the peaks of `server_pids` and their children, summed)."""
    tree = {p for pid in server_pids or [] for p in _process_tree(pid)}
    cpu_before = _cpu_seconds(tree)
    started, client_cpu = time.perf_counter(), time.process_time()
    visits = asyncio.run(_crowd(url, visitors, page, query, reruns))
    cpu, client_cpu = _cpu_seconds(tree) - cpu_before, time.process_time() - client_cpu
    failures = [v.failure for v in visits if v.failure]
    figures = {
        "visitors": visitors, "page": page or "accueil", "reruns": reruns,
        "seconds": round(time.perf_counter() - started, 2),
        "client_cpu_s": round(client_cpu, 2),  # the visitors' own work, on the same cores as the server
        "first_page": summary([v.first_s for v in visits if v.first_s is not None]),
        "reruns_only": summary([s for v in visits for s in v.runs_s[1:]]),
        "all_runs": summary([s for v in visits for s in v.runs_s]),
        "failures": len(failures), "failure_reasons": sorted(set(failures))[:5],
        "elements_drawn": min((v.elements for v in visits if v.first_s is not None), default=0),
    }
    if server_pids:
        runs = sum(len(v.runs_s) for v in visits)
        figures["server_cpu_ms_per_run"] = round(1000 * cpu / runs, 1) if runs else None
        figures["server_peak_mb"] = round(sum(server.peak_memory_mb(p) for p in tree if Path(f"/proc/{p}/status").exists()))
    return figures


@contextlib.contextmanager
def _server(db: Path, workers: int):
    """(url, pids, each worker's own url) of one Streamlit server, or of `workers` behind nginx
    (`observatory serve`)."""
    if workers > 1:
        from observatory.serving import workers as pool

        with pool.running(db, workers, _free_ports(workers + 1)) as started:
            yield started.url, [p.pid for p in started.processes], [f"http://{w}" for w in started.workers]
        return
    process, base = server.start(db)
    try:
        server.wait_healthy(process, base)
        yield base, [process.pid], [base]
    finally:
        server.stop(process)


def _free_ports(count: int) -> int:
    """The first of `count` consecutive free ports."""
    from observatory.serving.workers import port_free

    while True:
        first = server.free_port()
        if first + count < 65536 and all(port_free(first + i) for i in range(count)):
            return first


def run(db: Path, counts: list[int], page: str, query: str, reruns: int, url: str | None, workers: int = 1) -> list[dict]:
    """`measure` for each crowd size, on `url` or on a server started here on `db` (one per size,
    of `workers` processes: every crowd meets a fresh server, as after a restart, that one visitor
    (the coordinator) has already opened)."""
    if url:
        return [measure(url, n, page, query, reruns) for n in counts]
    results = []
    for n in counts:
        with _server(db, workers) as (base, pids, each):
            for worker in each:  # every worker's own start, not a visitor's wait
                asyncio.run(_crowd(worker, 1, page, query, 0))
            results.append(measure(base, n, page, query, reruns, server_pids=pids) | {"workers": workers})
    return results


def report(results: list[dict]) -> str:
    def cell(s: dict) -> str:
        if not s.get("count"):
            return "—"
        return " / ".join(f"{s[k]:.2f}".replace(".", ",") for k in ("median_s", "p95_s", "max_s"))

    lines = ["visiteurs | processus | première page médiane / p95 / max (s) | relances médiane / p95 / max (s) | "
             "toutes exécutions médiane / p95 / max (s) | échecs | mémoire du serveur | CPU du serveur par exécution"]
    for r in results:
        memory = f"{r['server_peak_mb']} Mo" if "server_peak_mb" in r else "non mesurée (serveur distant)"
        cpu = f"{r['server_cpu_ms_per_run']} ms".replace(".", ",") if r.get("server_cpu_ms_per_run") else "non mesuré"
        lines.append(f"{r['visitors']} | {r.get('workers', '?')} | {cell(r['first_page'])} | {cell(r['reruns_only'])} | {cell(r['all_runs'])} | "
                     f"{r['failures']} | {memory} | {cpu}")
        lines += [f"    échec : {reason}" for reason in r["failure_reasons"]]
    return "\n".join(lines)
