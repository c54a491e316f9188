"""`python -m observatory serve`: two workers behind nginx; a visitor stays on one worker, and a
base rebuilt in place is seen by every worker without restart."""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import urllib.request

import duckdb
import pytest
import websockets

from devtools import visitors
from observatory import paths
from observatory.serving import proxy, workers

pytestmark = pytest.mark.skipif(shutil.which("nginx") is None and not os.path.exists(workers.NGINX_FALLBACK)
                                and not os.environ.get("OBSERVATORY_REQUIRE_NGINX"),
                                reason="nginx absent (installé par .ci/run)")
BUILT = "Base de l'observatoire construite le "


def _worker_of(url: str, key: str) -> str:
    request = urllib.request.Request(url + "/", headers={"Cookie": f"{proxy.COOKIE}={key}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.headers[proxy.WORKER_HEADER]


async def _session(url: str, key: str, runs: int, between=None, resume: str = "") -> dict:
    """Open the home page over the websocket with the visitor's cookie, run it `runs` times
    (calling `between()` before each rerun): which worker answered, the session's id, and the
    build date each run showed."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    protocols = ["streamlit", "x", resume] if resume else ["streamlit"]
    out = {"built": [], "session": None}
    async with websockets.connect(stream, subprotocols=protocols, max_size=None,
                                  additional_headers={"Cookie": f"{proxy.COOKIE}={key}"}) as websocket:
        out["worker"] = websocket.response.headers[proxy.WORKER_HEADER]
        for run in range(runs):
            if run and between:
                between()
            await websocket.send(visitors._rerun_message("", ""))
            while True:
                message = ForwardMsg()
                message.ParseFromString(await asyncio.wait_for(websocket.recv(), 120))
                kind = message.WhichOneof("type")
                if kind == "new_session":
                    out["session"] = message.new_session.initialize.session_id
                body = message.delta.new_element.markdown.body if kind == "delta" else ""
                if BUILT in body:
                    out["built"].append(body.split(BUILT)[1][:10])
                if kind == "script_finished" and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    break
    return out


def test_two_workers_keep_each_visitor_and_see_a_rebuilt_base(tmp_path):
    db = tmp_path / "observatory.duckdb"
    shutil.copyfile(paths.DEFAULT_DB, db)
    port = _free_range()
    with workers.running(db, 2, port) as pool:
        assert len(pool.workers) == 2 and pool.url.endswith(f":{port}")
        # the worker of each visitor's key is the same at every request; two keys reach the two workers
        chosen = {}
        for i in range(40):
            worker = _worker_of(pool.url, f"visiteur-{i}")
            assert _worker_of(pool.url, f"visiteur-{i}") == worker
            chosen.setdefault(worker, f"visiteur-{i}")
            if len(chosen) == 2:
                break
        assert set(chosen) == set(pool.workers)
        # a new visitor gets its key as a cookie from the proxy
        with urllib.request.urlopen(pool.url + "/", timeout=30) as answer:
            assert proxy.COOKIE + "=" in answer.headers["Set-Cookie"]

        def rebuild():  # a new file at the same path, as an import's atomic swap leaves it
            fresh = tmp_path / "rebuilt.duckdb"
            shutil.copyfile(db, fresh)
            with duckdb.connect(str(fresh)) as con:
                con.execute("UPDATE build_info SET built_at = TIMESTAMP '2001-02-03 04:05:06'")
            os.replace(fresh, db)

        async def both():
            first = await _session(pool.url, chosen[pool.workers[0]], 2, between=rebuild)
            second = await _session(pool.url, chosen[pool.workers[1]], 1)
            again = await _session(pool.url, chosen[pool.workers[0]], 1, resume=first["session"])
            elsewhere = await _session(pool.url, chosen[pool.workers[1]], 1, resume=first["session"])
            return first, second, again, elsewhere

        first, second, again, elsewhere = asyncio.run(both())
    # each session's websocket went to its visitor's worker; its reruns ran there
    assert first["worker"] == again["worker"] == pool.workers[0] and second["worker"] == pool.workers[1]
    # a reconnection with the same cookie finds its session; on the other worker it would not exist
    assert again["session"] == first["session"] and elsewhere["session"] != first["session"]
    # the rebuilt base is read at the next rerun, by both workers, with no restart
    assert first["built"][0] != "03/02/2001" and first["built"][1] == "03/02/2001"
    assert second["built"] == ["03/02/2001"]


def _free_range(count: int = 3) -> int:
    for start in range(20100, 30000, 10):
        if all(workers.port_free(start + i) for i in range(count)):
            return start
    raise RuntimeError("aucun port libre")


def test_print_config_lists_the_machines_and_a_missing_nginx_is_said_in_french(monkeypatch):
    done = subprocess.run([sys.executable, "-m", "observatory", "serve", "--print-config", "observatoire.example.fr",
                           "--upstream", "10.0.0.1:8501", "--upstream", "10.0.0.2:8501"],
                          cwd=paths.ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "server 10.0.0.1:8501;" in done.stdout and "server 10.0.0.2:8501;" in done.stdout
    assert "hash $observatory_key consistent;" in done.stdout and "server_name observatoire.example.fr;" in done.stdout
    monkeypatch.setattr(workers.shutil, "which", lambda name: None)
    monkeypatch.setattr(workers, "NGINX_FALLBACK", "/nonexistent/nginx")
    with pytest.raises(workers.ServeError, match="paquet Debian « nginx »"):
        workers.nginx_binary()
