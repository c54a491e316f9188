"""How a file travels from its publisher: HTTP(S) with the standard library, through the proxy the
environment names (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, as local authorities set them), retried
with back-off on a server's momentary failure, resumed after a cut, capped in size, and every
failure said in French.

Nothing here knows a source: `refresh` and `offers_api` say what to fetch.
"""
from __future__ import annotations

import errno
import http.client
import json
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

USER_AGENT = "observatoire-metiers-accompagnement (python urllib)"
RETRIED_STATUSES = {408, 425, 429, 500, 502, 503, 504}
CHUNK = 64 * 1024


class FetchError(Exception):
    """The transfer failed; the message, in French, says which address and why. Nothing was imported."""


class NetworkUnreachable(FetchError):
    """No route to the publisher at all (no network, no DNS): said once, in one line."""


@dataclass
class Settings:
    timeout: float = 30.0  # seconds without a byte before giving up an attempt
    attempts: int = 4
    backoff: float = 2.0  # first wait between attempts, doubled each time
    cap_bytes: int = 300 * 1024 * 1024
    sleep: Callable[[float], None] = field(default=time.sleep)


def _opener() -> urllib.request.OpenerDirector:
    """Proxies from the environment, read at each call (ProxyHandler without arguments does so and
    honours NO_PROXY); redirects followed."""
    return urllib.request.build_opener(urllib.request.ProxyHandler())


def _unreachable(error: BaseException) -> bool:
    reason = getattr(error, "reason", error)
    if isinstance(reason, socket.gaierror):
        return True
    return isinstance(reason, OSError) and reason.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH)


def _unreachable_message(url: str) -> str:
    """One line; names the proxy when the environment sends the request through one."""
    parts = urllib.request.urlparse(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    through = f" par le proxy {_host(proxy)}" if proxy and not urllib.request.proxy_bypass(parts.hostname or "") else ""
    return (f"réseau injoignable : {_host(url)} ne répond pas{through} (pas de connexion ou nom introuvable) ; "
            "rien n'a été modifié.")


def _host(url: str) -> str:
    return urllib.request.urlparse(url).netloc or url


def _wait(settings: Settings, attempt: int, retry_after: str | None = None) -> None:
    delay = settings.backoff * 2 ** attempt
    if retry_after and retry_after.strip().isdigit():
        delay = max(delay, min(float(retry_after), 120.0))
    settings.sleep(delay)


def request_json(url: str, settings: Settings, headers: dict | None = None, data: bytes | None = None,
                 accept_statuses: tuple = (200, 206)) -> tuple[int, dict, dict]:
    """(status, decoded JSON, response headers) of one API call, retried like a download. A 204, or
    an accepted error status, gives {} when its body is not JSON."""
    status, body, headers_back = _call(url, settings, headers, data, accept_statuses + (204,))
    if status == 204 or not body.strip():
        return status, {}, headers_back
    try:
        return status, json.loads(body), headers_back
    except ValueError:
        if status >= 400:
            return status, {}, headers_back
        raise FetchError(f"{_host(url)} : réponse illisible (JSON attendu, reçu « {body[:60]!r} »).") from None


def _call(url, settings, headers, data, accept_statuses) -> tuple[int, bytes, dict]:
    last = ""
    for attempt in range(settings.attempts):
        retry_after = None
        request = urllib.request.Request(url, data=data, headers={"User-Agent": USER_AGENT, **(headers or {})})
        try:
            with _opener().open(request, timeout=settings.timeout) as response:
                body = _read_capped(response, settings.cap_bytes, url)
                if response.status in accept_statuses:
                    return response.status, body, dict(response.headers)
                last = f"statut HTTP {response.status}"
        except urllib.error.HTTPError as error:
            if error.code in accept_statuses:  # the caller handles it (an expired token, say)
                return error.code, error.read(), dict(error.headers or {})
            last, retry_after = _retryable(error, url, settings)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            last, retry_after = _retryable(error, url, settings)
        if attempt + 1 < settings.attempts:
            _wait(settings, attempt, retry_after)
    raise FetchError(f"{_host(url)} : échec après {settings.attempts} essais ({last}) ; rien n'a été modifié.")


def _retryable(error: BaseException, url: str, settings: Settings) -> tuple[str, str | None]:
    """(what happened, the server's Retry-After) of a failure worth another attempt; raises for one
    that is not (no network at all, an address refused)."""
    if isinstance(error, urllib.error.HTTPError):
        if error.code not in RETRIED_STATUSES:
            raise FetchError(_refused(url, error.code)) from None
        return f"statut HTTP {error.code}", error.headers.get("Retry-After") if error.headers else None
    if _unreachable(error):
        raise NetworkUnreachable(_unreachable_message(url)) from None
    return _transient(error, settings), None


def _refused(url: str, status: int) -> str:
    meaning = {404: "adresse introuvable (404) : la source a peut-être changé d'adresse, voyez sa page",
               401: "accès refusé (401) : identifiants absents ou expirés",
               403: "accès interdit (403)", 400: "requête refusée (400) : filtre ou paramètre inconnu du serveur"}
    return f"{_host(url)} : {meaning.get(status, f'statut HTTP {status}')} ; rien n'a été modifié."


def _transient(error: BaseException, settings: Settings) -> str:
    reason = getattr(error, "reason", error)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"aucune réponse en {settings.timeout:g} s".replace(".", ",")
    return f"connexion interrompue ({type(reason).__name__})"


def _read_capped(response, cap: int, url: str) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > cap:
        raise FetchError(_too_big(url, cap))
    body = response.read(cap + 1)
    if len(body) > cap:
        raise FetchError(_too_big(url, cap))
    return body


def _too_big(url: str, cap: int) -> str:
    return (f"{_host(url)} : fichier trop gros (plus de {cap // (1024 * 1024)} Mo, la limite fixée) ; "
            "rien n'a été téléchargé ni modifié.")


def download(url: str, target: Path, settings: Settings, progress: Callable[[int, int | None], None] | None = None,
             headers: dict | None = None) -> str:
    """Write the file at `url` to `target`; return the address it came from after redirects. A cut
    transfer is resumed where
    it stopped when the server accepts ranges, or started again; a file longer than the cap is
    refused as soon as its size is known."""
    received, last, final = 0, "", url
    target.write_bytes(b"")
    for attempt in range(settings.attempts):
        retry_after = None
        asked = {"User-Agent": USER_AGENT, **(headers or {})}
        if received:
            asked["Range"] = f"bytes={received}-"
        try:
            with _opener().open(urllib.request.Request(url, headers=asked), timeout=settings.timeout) as response:
                final = response.geturl() or url
                if response.status != 206:  # the whole file again
                    received = 0
                    target.write_bytes(b"")
                length = response.headers.get("Content-Length")
                total = received + int(length) if length and length.isdigit() else None
                if total is not None and total > settings.cap_bytes:
                    raise FetchError(_too_big(url, settings.cap_bytes))
                with open(target, "ab") as out:
                    while True:
                        chunk = response.read(CHUNK)
                        if not chunk:
                            break
                        received += len(chunk)
                        if received > settings.cap_bytes:
                            raise FetchError(_too_big(url, settings.cap_bytes))
                        out.write(chunk)
                        if progress:
                            progress(received, total)
                if total is None or received >= total:
                    return final
                last = f"transfert coupé à {received} octets sur {total}"
        except urllib.error.HTTPError as error:
            if error.code == 416:  # the range asked is past the end: start again
                received, last = 0, "statut HTTP 416"
                target.write_bytes(b"")
            else:
                last, retry_after = _retryable(error, url, settings)
        except http.client.IncompleteRead as error:
            received += len(error.partial)
            with open(target, "ab") as out:
                out.write(error.partial)
            last = f"transfert coupé à {received} octets"
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            last, retry_after = _retryable(error, url, settings)
            received = target.stat().st_size
        if attempt + 1 < settings.attempts:
            _wait(settings, attempt, retry_after)
    raise FetchError(f"{_host(url)} : échec après {settings.attempts} essais ({last}) ; rien n'a été modifié.")
