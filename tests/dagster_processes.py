"""Starting and stopping Dagster's own processes in tests (dg dev, dagster-daemon, dagster-webserver):
each in a new session, so that it and its children stop together, by process group."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

from tests.conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], env: dict, log: Path | None = None) -> subprocess.Popen:
    """`cmd` in a new session with SIGINT restored (started from a script, Dagster's processes ignore
    it otherwise); output to `log`, or discarded."""
    out = open(log, "w") if log is not None else subprocess.DEVNULL  # noqa: SIM115 - the child holds it
    return subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True, stdout=out, stderr=subprocess.STDOUT,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def stop(proc: subprocess.Popen) -> None:
    """Ctrl-C to the process group, as a person would; killed if it has not ended within 30 s."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def graphql(port: int, query: str, timeout: float = 10) -> dict | None:
    """The webserver's answer to `query`, or None while it does not answer."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        return json.load(urllib.request.urlopen(request, timeout=timeout))
    except OSError:
        return None


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
