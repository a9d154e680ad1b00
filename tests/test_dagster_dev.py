"""`dg dev` (what `make dev` runs) answers on 127.0.0.1 and lists the jobs, assets, checks, schedule and sensor."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT

QUERY = """
{
  repositoriesOrError {
    ... on RepositoryConnection {
      nodes {
        name
        jobs { name }
        schedules { name cronSchedule executionTimezone }
        sensors { name }
        assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks { name } } } }
      }
    }
  }
}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_dg_dev_serves_the_code_location_on_loopback(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.local.yaml", home / "dagster.yaml")  # as `make dev` does
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "SZEI_MARTS_DB": str(tmp_path / "szei.duckdb")}
    dg_cli = Path(sys.executable).with_name("dg")
    # A new session with SIGINT restored: dagster dev started from a script ignores SIGINT otherwise.
    proc = subprocess.Popen(
        [str(dg_cli), "dev", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 90
        payload = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, "dg dev exited"
            try:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/graphql",
                    data=json.dumps({"query": QUERY}).encode(),
                    headers={"Content-Type": "application/json"},
                )
                payload = json.load(urllib.request.urlopen(request, timeout=5))
                if payload.get("data", {}).get("repositoriesOrError", {}).get("nodes"):
                    break
            except OSError:
                pass
            time.sleep(1)
        assert payload, "dagster dev did not answer"
        repo = payload["data"]["repositoriesOrError"]["nodes"][0]
        assets = {"/".join(n["assetKey"]["path"]) for n in repo["assetNodes"]}
        assert {"reference_data", "validated_output", "marts_database", "analysis_report"} <= assets
        assert {"refresh_all", "refresh_marts"} <= {j["name"] for j in repo["jobs"]}
        checks = {c["name"] for n in repo["assetNodes"] for c in n["assetChecksOrError"].get("checks", [])}
        assert {"districts_sum_to_city", "rows_reconcile"} <= checks
        assert repo["schedules"] == [
            {"name": "quarterly_refresh", "cronSchedule": "0 9 15 1,4,7,10 *", "executionTimezone": "Asia/Shanghai"}
        ]
        assert sorted(s["name"] for s in repo["sensors"]) == ["new_output_files", "published_marts_intact"]
        with pytest.raises(OSError):  # loopback only
            addr = [a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127.")]
            if not addr:
                raise OSError("no non-loopback address on this machine")
            urllib.request.urlopen(f"http://{addr[0]}:{port}/graphql", timeout=2)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    time.sleep(1)
    assert not processes_in_group(proc.pid), "dagster dev left processes running"


def processes_in_group(pgid: int) -> list[int]:
    """PIDs still alive in the process group (read from /proc, no procps needed)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive
