"""API benchmark: tender search over HTTP with 10 and 50 concurrent clients against ``anbudsvakt serve``.

    .venv/bin/python -m bench.api            # 180,000 notices (indexing takes about 80 s, then 2 × 60 s of load)
    .venv/bin/python -m bench.api --quick    # 5,000 notices, 2 × 15 s of load

The corpus is bench/search.py's (real UHM 2021 titles and buyers, ``bench.corpus.build_corpus``), indexed into
the embedded SQLite FTS5 index in a temporary data directory; the server is ``anbudsvakt serve`` in a subprocess
on loopback, exactly the run command. The queries are bench/search.py's mix (text, filters, text + filters,
sorted deep pages) sent to ``GET /api/tenders`` (facets included, as the API always returns them).

Each level runs a warm-up, then ``--seconds`` of closed-loop load: every client sends its next request as soon
as the previous one is answered, on its own keep-alive connection. Reported: requests/s, p50/p95/p99 latency
(wall time of the whole HTTP exchange), errors (any status other than 200, or a failed connection), and the CPU
the server and the load generator used (cores busy on average). The load generator runs on the same machine,
so it is a minimal HTTP/1.1 client on asyncio streams (requests pre-formatted, answers read by Content-Length):
the httpx client it replaced used more CPU per request than the server (4.9 ms against 2.9 ms, 0.6 of a
core at 50 clients) and capped the figures.
Public search is rate-limited per client address (120/min, still on during the bench); the bench speaks for
many visitors, so each request carries its own ``X-Forwarded-For`` address, which the server trusts from
loopback only (``serve`` runs uvicorn with ``forwarded_allow_ips``).
Writes bench/results/api.json (api-quick.json with --quick) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx

from bench.corpus import build_corpus
from bench.search import index_all, query_mix
from tenders.index.base import SearchQuery, SortOrder
from tenders.index.sqlite import SqliteIndex

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
LEVELS = (10, 50)
WARM_UP_SECONDS = 5.0
REQUEST_TIMEOUT_S = 30.0
Params = tuple[tuple[str, str], ...]  # a query string as (name, value) pairs


def query_params(query: SearchQuery) -> Params:
    """The API's query string for one of bench/search.py's queries."""
    params: list[tuple[str, str]] = [("q", query.text)] if query.text else []
    params += [("cpv", c) for c in query.cpv_prefixes] + [("municipality", m) for m in query.municipalities]
    params += [("nuts", n) for n in query.nuts] + [("buyer", b) for b in query.buyers]
    for name, value in (("value_min", query.value_min), ("value_max", query.value_max),
                        ("sme_suitable", query.sme_suitable)):
        if value is not None:
            params.append((name, str(value).lower() if isinstance(value, bool) else str(value)))
    if query.open_now:
        params.append(("open_now", "true"))
    if query.sort is not SortOrder.RELEVANCE:
        params.append(("sort", query.sort.value))
    if query.page > 1:
        params.append(("page", str(query.page)))
    return tuple(params)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used so far (Linux ``/proc``; 0.0 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime in clock ticks


def measured_level(base: str, server_pid: int, queries: list[Params], clients: int, seconds: float) -> dict[str, Any]:
    """One level of load, with the CPU the server used per second of it (1.0 = one core busy)."""
    server_cpu = process_cpu_seconds(server_pid)
    figures = asyncio.run(load(base, queries, clients, seconds))
    figures["server_cpu"] = round((process_cpu_seconds(server_pid) - server_cpu) / seconds, 2)
    return figures


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(data_dir: Path) -> Iterator[tuple[str, int]]:
    """``anbudsvakt serve`` on a free loopback port over ``data_dir``, as (base URL, process id); stopped
    (SIGTERM, then kill) at the end."""
    port = free_port()
    env = {**os.environ, "ANBUDSVAKT_DATA_DIR": str(data_dir), "ANBUDSVAKT_ENVIRONMENT": "development",
           "ANBUDSVAKT_SECRET_KEY": "bench-secret-key-not-for-production", "ANBUDSVAKT_DATABASE_URL": ""}
    command = [str(Path(sys.executable).parent / "anbudsvakt"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                raise SystemExit(f"anbudsvakt serve exited: {server.stderr.read().decode() if server.stderr else ''}")
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("anbudsvakt serve did not answer /api/health within 120 s")
            time.sleep(0.3)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class ProtocolError(Exception):
    """The server answered something this minimal HTTP/1.1 client does not read (no Content-Length)."""


def request_bytes(host: str, params: Params, visitor: int) -> bytes:
    """One keep-alive ``GET /api/tenders`` as bytes, speaking for visitor number ``visitor``."""
    address = f"10.{visitor >> 16 & 255}.{visitor >> 8 & 255}.{visitor & 255}"
    target = "/api/tenders" + ("?" + urlencode(params) if params else "")
    return (f"GET {target} HTTP/1.1\r\nHost: {host}\r\nX-Forwarded-For: {address}\r\n"
            "Accept: application/json\r\n\r\n").encode()


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bool]:
    """Send one request, read its whole answer; (status, whether the server keeps the connection open)."""
    writer.write(request)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, keep_alive = None, True
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            keep_alive = False
    if length is None:
        raise ProtocolError("answer without Content-Length")
    await reader.readexactly(length)
    return status, keep_alive


async def one_client(host: str, port: int, requests: Iterator[bytes], stop_at: float,
                     timings: list[float], error_kinds: Counter[str]) -> None:
    """A visitor after another on one keep-alive connection, reopened after an error or a ``Connection: close``."""
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while time.perf_counter() < stop_at:
        request = next(requests)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT_S):
                if connection is None:
                    connection = await asyncio.open_connection(host, port)
                status, keep_alive = await exchange(*connection, request)
            if status != 200:
                error_kinds[str(status)] += 1
        except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ProtocolError) as error:
            error_kinds[type(error).__name__] += 1
            keep_alive = False
        timings.append((time.perf_counter() - started) * 1000)
        if not keep_alive and connection is not None:
            connection[1].close()
            connection = None
    if connection is not None:
        connection[1].close()


async def load(base: str, queries: list[Params], clients: int, seconds: float) -> dict[str, Any]:
    """Closed-loop load from ``clients`` concurrent clients for ``seconds``; latencies in ms, errors, CPU used."""
    host, port = urlsplit(base).hostname or "127.0.0.1", urlsplit(base).port or 80
    visitors = itertools.count(1)
    requests = (request_bytes(f"{host}:{port}", queries[n % len(queries)], n) for n in visitors)
    timings: list[float] = []
    error_kinds: Counter[str] = Counter()  # status code or exception name → count
    cpu_before = time.process_time()
    began = time.perf_counter()
    await asyncio.gather(*(one_client(host, port, requests, began + seconds, timings, error_kinds)
                           for _ in range(clients)))
    elapsed = time.perf_counter() - began
    cuts = statistics.quantiles(timings, n=100, method="inclusive") if len(timings) > 1 else [0.0] * 99
    return {"clients": clients, "requests": len(timings), "requests_per_s": round(len(timings) / elapsed, 1),
            "p50_ms": round(cuts[49], 1), "p95_ms": round(cuts[94], 1), "p99_ms": round(cuts[98], 1),
            "errors": sum(error_kinds.values()), "error_kinds": dict(error_kinds),
            "load_generator_cpu": round((time.process_time() - cpu_before) / elapsed, 2)}


def markdown_table(result: dict[str, Any]) -> str:
    lines = [f"Search over HTTP (`GET /api/tenders`, `anbudsvakt serve`, SQLite FTS5), corpus "
             f"{result['corpus_size']:,} notices, {result['seconds']:.0f} s per level.", "",
             "| concurrent clients | requests | requests/s | p50 (ms) | p95 (ms) | p99 (ms) | errors "
             "| server CPU (cores) | load generator CPU (cores) |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for level in result["levels"]:
        lines.append(f"| {level['clients']} | {level['requests']:,} | {level['requests_per_s']} | {level['p50_ms']} "
                     f"| {level['p95_ms']} | {level['p99_ms']} | {level['errors']} | {level.get('server_cpu', '')} "
                     f"| {level.get('load_generator_cpu', '')} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=180_000)
    parser.add_argument("--quick", action="store_true", help="5,000 notices and 15 s per level")
    parser.add_argument("--seconds", type=float, help="load per level (default 60, 15 with --quick)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--out", type=Path, help="default: bench/results/api.json (api-quick.json with --quick)")
    args = parser.parse_args()
    size = 5000 if args.quick else args.size
    seconds = args.seconds or (15.0 if args.quick else 60.0)
    out = args.out or RESULTS / ("api-quick.json" if args.quick else "api.json")

    corpus = list(build_corpus(size, seed=args.seed))
    queries = [query_params(q) for q in query_mix(corpus, args.seed)]
    warm_up = [query_params(q) for q in query_mix(corpus, args.seed + 1)]
    with tempfile.TemporaryDirectory(prefix="bench-api-") as directory:
        index = SqliteIndex(Path(directory) / "index.sqlite3")  # where Settings(data_dir=directory) looks
        indexing_s = index_all(index, corpus)
        index.close()
        print(f"indexed {size:,} notices in {indexing_s:.0f} s", flush=True)
        levels = []
        with running_server(Path(directory)) as (base, server_pid):
            for clients in LEVELS:
                asyncio.run(load(base, warm_up, clients, WARM_UP_SECONDS))
                figures = measured_level(base, server_pid, queries, clients, seconds)
                print(f"{clients} clients: {figures}; load average {os.getloadavg()[0]:.1f}", flush=True)
                levels.append(figures)
    result = {"corpus_size": size, "seconds": seconds, "backend": "sqlite", "levels": levels,
              "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared)"}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\n{markdown_table(result)}\n\n(wrote {out})")


if __name__ == "__main__":
    main()
