"""``anbudsvakt serve --load-examples-if-empty`` as the run command starts it: a real process on a real port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import TEST_SECRET, free_loopback_port

ANBUDSVAKT = Path(sys.executable).parent / "anbudsvakt"


def start_serve(data_dir: Path, port: int) -> subprocess.Popen[str]:
    env = os.environ | {"ANBUDSVAKT_DATA_DIR": str(data_dir), "ANBUDSVAKT_ENVIRONMENT": "test",
                        "ANBUDSVAKT_SECRET_KEY": TEST_SECRET,
                        # TED unreachable (a closed loopback port): the first start falls back to the example data
                        "ANBUDSVAKT_TED_API_URL": "http://127.0.0.1:9/v3/notices/search"}
    return subprocess.Popen(
        [str(ANBUDSVAKT), "serve", "--port", str(port), "--load-examples-if-empty"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def wait_ready(process: subprocess.Popen[str], port: int, timeout_s: float = 120) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{process.stdout.read() if process.stdout else ''}")
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/api/ready", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"serve was not ready within {timeout_s} s")


def stop(process: subprocess.Popen[str]) -> str:
    process.terminate()
    output, _ = process.communicate(timeout=30)
    return output


def test_serve_loads_examples_once_and_serves_pages_and_api(tmp_path: Path) -> None:
    port = free_loopback_port()
    first = start_serve(tmp_path, port)
    try:
        ready = wait_ready(first, port)
        assert ready["tenders"] == ready["indexed"] > 10
        page = httpx.get(f"http://127.0.0.1:{port}/sok", timeout=10)
        assert page.status_code == 200 and '<html lang="sv">' in page.text
    finally:
        output = stop(first)
    assert "exempelannonser" in output

    second = start_serve(tmp_path, port)
    try:
        assert wait_ready(second, port)["tenders"] == ready["tenders"]
    finally:
        output = stop(second)
    assert "exempelannonser" not in output  # the store was not empty any more
