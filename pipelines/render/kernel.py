"""Execute a notebook in a Jupyter kernel of this interpreter (nbclient + ipykernel)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path


def execute(nb, cwd: Path, env: dict | None = None, timeout: int = 120, log: Path | None = None):
    """Run every cell in a kernel of *this* interpreter (sys.executable), not whatever `python` is on PATH.

    The kernel talks over IPC sockets in a private temporary folder (no TCP port, so ipykernel has
    no 'running over TCP without encryption' warning), its stdout/stderr go to `log` (never to the
    user's terminal), and it is shut down before this returns — not left for an atexit handler.
    """
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    with tempfile.TemporaryDirectory(prefix="szei-kernel-") as kdir:
        spec = Path(kdir) / "szei-python"
        spec.mkdir()
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "szei", "language": "python", "env": env or {}}))
        km = KernelManager(kernel_name="szei-python", kernel_spec_manager=KernelSpecManager(kernel_dirs=[kdir]),
                           transport="ipc", ip=str(Path(kdir) / "ipc"),
                           connection_file=str(Path(kdir) / "connection.json"))
        client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(cwd)}},
                                shutdown_kernel="graceful")
        log_path = Path(log) if log else Path(kdir) / "kernel.log"
        with open(log_path, "ab") as fh:
            try:
                client.execute(cleanup_kc=True, stdout=fh, stderr=fh)
            except CellExecutionError as e:
                raise RuntimeError(f"report cell failed:\n{e}") from e
            finally:
                if km.has_kernel:
                    km.shutdown_kernel(now=True)
                km.cleanup_resources()
    return nb
