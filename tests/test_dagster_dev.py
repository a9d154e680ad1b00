"""`dg dev` (what `make dev` runs) answers on 127.0.0.1 and lists the jobs, assets, checks, schedule and sensor."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.dagster_processes import free_port, graphql, processes_in_group, start, stop

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


@pytest.mark.slow
def test_dg_dev_serves_the_code_location_on_loopback(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.local.yaml", home / "dagster.yaml")  # as `make dev` does
    port = free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "SZEI_MARTS_DB": str(tmp_path / "szei.duckdb")}
    proc = start([str(Path(sys.executable).with_name("dg")), "dev", "-h", "127.0.0.1", "-p", str(port)], env)
    try:
        deadline = time.monotonic() + 90
        payload = None
        while time.monotonic() < deadline:
            assert proc.poll() is None, "dg dev exited"
            payload = graphql(port, QUERY, timeout=5)
            if payload and payload.get("data", {}).get("repositoriesOrError", {}).get("nodes"):
                break
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
        stop(proc)
    time.sleep(1)
    assert not processes_in_group(proc.pid), "dagster dev left processes running"
