"""The production deployment (deploy/): dagster-webserver and dagster-daemon as two processes on an
instance stored in a real PostgreSQL server, as deploy/README.md sets them up.

The test starts Debian's PostgreSQL (initdb in a temporary folder, Unix socket only, as the
`postgres` user), the real `dagster-daemon` and `dagster-webserver` with deploy/dagster.yaml, turns
the schedule and the sensor on, and shows, from PostgreSQL's own tables:
- the sensor's first tick records the files and starts nothing;
- a changed file starts a sensor run; the schedule (set to tick every minute) starts a run;
- both runs succeed, one after the other (the run queue lets one marts build at a time).
Everything it starts is stopped by process group at the end; the whole test is bounded in time.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.dagster_processes import free_port, graphql, start, stop

DEADLINE_SECONDS = 420


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def as_postgres(*cmd: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *cmd],
                          capture_output=True, text=True, timeout=120, **kwargs)


def why_not() -> str | None:
    if postgres_bin() is None:
        return "PostgreSQL is not installed (.ci/run installs Debian's postgresql)"
    if os.geteuid() != 0:
        return "starting PostgreSQL as the postgres user needs root"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres user"
    if not shutil.which("setpriv"):
        return "setpriv (util-linux) is missing"
    return None


@pytest.fixture
def postgres_url():
    reason = why_not()
    if reason:
        pytest.skip(reason)
    bin_dir = postgres_bin()
    base = Path(tempfile.mkdtemp(prefix="szei-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    base.chmod(0o755)
    shutil.chown(base, "postgres", "postgres")
    shutil.chown(sock, "postgres", "postgres")
    port = free_port()
    init = as_postgres(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                       "-E", "UTF8", "--locale=C", "--no-sync")
    assert init.returncode == 0, init.stderr
    options = f"-c listen_addresses='' -k {sock} -p {port} -c fsync=off -c full_page_writes=off"
    start = as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "server.log"),
                        "-w", "-t", "60", "start")
    assert start.returncode == 0, start.stderr + (base / "server.log").read_text()
    try:
        # the driver named: SQLAlchemy 2.1 would otherwise look for psycopg 3 (dagster-postgres brings psycopg2)
        yield f"postgresql+psycopg2://postgres@/postgres?host={sock}&port={port}"
    finally:
        as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg2

    con = psycopg2.connect(url.replace("postgresql+psycopg2://", "postgresql://"))
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        con.close()


def ticks(url: str, name: str) -> list[dict]:
    rows = query(url, "select tick_body from job_ticks order by id")
    bodies = [json.loads(body) for (body,) in rows]
    return [b for b in bodies if b.get("job_name") == name]  # TickData stores instigator_name as job_name


def runs_by_tag(url: str, key: str, value: str) -> list[tuple]:
    return query(url, "select r.run_id, r.status, r.start_time, r.end_time, r.pipeline_name from runs r "
                      "join run_tags t on t.run_id = r.run_id where t.key = %s and t.value = %s "
                      "order by r.create_timestamp", (key, value))


def wait_until(what: str, predicate, deadline: float, procs: list[subprocess.Popen], logs: list[Path]):
    while True:
        result = predicate()
        if result:
            return result
        for proc, log in zip(procs, logs):
            assert proc.poll() is None, f"{log.name} exited:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n" + "\n".join(
            log.read_text()[-2000:] for log in logs)
        time.sleep(2)


@pytest.mark.slow
@pytest.mark.timeout(DEADLINE_SECONDS + 120)
def test_daemon_schedule_tick_and_sensor_run_recorded_in_postgres(postgres_url, tmp_path):
    deadline = time.monotonic() + DEADLINE_SECONDS
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "deploy" / "dagster.yaml", home / "dagster.yaml")  # as deploy/README.md says
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text((ROOT / "deploy" / "workspace.yaml").read_text(encoding="utf-8")
                         .replace("/opt/szei/.venv/bin/python", sys.executable)
                         .replace("/opt/szei", str(ROOT)), encoding="utf-8")
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    marts = tmp_path / "marts" / "szei.duckdb"
    env = {**os.environ, "DAGSTER_HOME": str(home), "DAGSTER_POSTGRES_URL": postgres_url,
           "SZEI_RAW_DIR": str(raw), "SZEI_MARTS_DB": str(marts), "SZEI_REPORT_DIR": str(tmp_path / "report"),
           "SZEI_NO_QUARTO": "1", "SZEI_SENSOR_INTERVAL_SECONDS": "5", "SZEI_SCHEDULE_CRON": "* * * * *"}
    bin_dir = Path(sys.executable).parent

    for kind, name in (("sensor", "new_output_files"), ("schedule", "quarterly_refresh")):
        on = subprocess.run([str(bin_dir / "dagster"), kind, "start", name, "-w", str(workspace)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert on.returncode == 0, on.stdout + on.stderr

    port = free_port()
    logs = [tmp_path / "daemon.log", tmp_path / "webserver.log"]
    daemon = start([str(bin_dir / "dagster-daemon"), "run", "-w", str(workspace)], env, logs[0])
    webserver = start([str(bin_dir / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port),
                       "-w", str(workspace)], env, logs[1])
    procs = [daemon, webserver]
    try:
        # 1. the sensor's first tick records the files and starts nothing
        # a tick is written STARTED and updated when it ends: wait for the ended one (a loaded machine
        # shows the STARTED row for seconds)
        first = wait_until("the sensor's first tick to end", lambda: [
            t for t in ticks(postgres_url, "new_output_files") if "STARTED" not in json.dumps(t["status"])],
            deadline, procs, logs)[0]
        assert "SKIPPED" in json.dumps(first["status"]) and "首次检查" in first["skip_reason"]
        assert not first.get("run_ids")
        assert runs_by_tag(postgres_url, "dagster/sensor_name", "new_output_files") == []

        # 2. a delivered file changes: the next tick starts a run
        changed = sorted((raw / "output").glob("*.csv"))[0]
        with open(changed, "ab") as f:
            f.write(b"\n")
        wait_until("a sensor run", lambda: runs_by_tag(postgres_url, "dagster/sensor_name",
                                                                      "new_output_files"), deadline, procs, logs)
        # 3. the schedule ticks (every minute here) and starts a run
        wait_until("a schedule run", lambda: runs_by_tag(
            postgres_url, "dagster/schedule_name", "quarterly_refresh"), deadline, procs, logs)

        def finished():
            runs = [runs_by_tag(postgres_url, "dagster/sensor_name", "new_output_files")[0],
                    runs_by_tag(postgres_url, "dagster/schedule_name", "quarterly_refresh")[0]]
            return runs if all(r[1] in ("SUCCESS", "FAILURE", "CANCELED") for r in runs) else None

        sensor_run, schedule_run = wait_until("both runs to finish", finished, deadline, procs, logs)
        assert sensor_run[1] == "SUCCESS" and schedule_run[1] == "SUCCESS", (sensor_run, schedule_run)
        assert sensor_run[4] == schedule_run[4] == "refresh_all"
        # one marts build at a time: the queue started the second after the first ended
        (a_start, a_end), (b_start, b_end) = sorted([(sensor_run[2], sensor_run[3]), (schedule_run[2], schedule_run[3])])
        assert a_end <= b_start
        ticked = [t for t in ticks(postgres_url, "quarterly_refresh") if t.get("run_ids")]
        assert ticked and schedule_run[0] in ticked[0]["run_ids"]

        # the webserver (the other service) shows the runs from the same database
        shown = wait_until("the webserver", lambda: graphql(
            port, "{ runsOrError { ... on Runs { results { runId status jobName } } } }"), deadline, procs, logs)
        listed = {r["runId"]: r for r in shown["data"]["runsOrError"]["results"]}
        assert listed[sensor_run[0]]["status"] == "SUCCESS" and listed[schedule_run[0]]["jobName"] == "refresh_all"

        # the runs did their work: marts published; the batch handed over as Arrow IPC, not pickled
        import duckdb

        con = duckdb.connect(str(marts), read_only=True)
        assert con.execute("select run_id from meta_run").fetchone()[0] in {sensor_run[0], schedule_run[0]}
        con.close()
        handover = home / "storage" / "szei_handover" / "validated_output"
        assert (handover / "records.arrow").is_file()
    finally:
        for proc in procs:
            stop(proc)
