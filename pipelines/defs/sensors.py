"""Start a run when a file in data/raw/output/ is new or its content changed (by sha256)."""


import hashlib
import json
from pathlib import Path

import dagster as dg

from pipelines.defs.jobs import refresh_all
from pipelines.defs.resources import SzeiPaths
from pipelines.fileinfo import sha256_of
from pipelines.validation import list_output_files


def fingerprint(output_dir: Path, known: dict[str, dict]) -> dict[str, dict]:
    """path under output/ → {size, mtime_ns, sha256}; a file is re-hashed only when its size or mtime moved.

    The run decision is made on the hashes alone: a touched but unchanged file starts nothing.
    """
    state = {}
    for path in list_output_files(output_dir):
        name = path.relative_to(output_dir).as_posix()  # files in subfolders are read too
        try:
            stat = path.stat()
            seen = known.get(name)
            if seen and seen["size"] == stat.st_size and seen["mtime_ns"] == stat.st_mtime_ns:
                state[name] = seen
            else:
                state[name] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": sha256_of(path)}
        except OSError:  # removed or unreadable between listing and hashing: the run will say so
            continue
    return state


def content_key(state: dict[str, dict]) -> str:
    listing = json.dumps({name: s["sha256"] for name, s in sorted(state.items())}, ensure_ascii=False)
    return hashlib.sha256(listing.encode()).hexdigest()


@dg.sensor(job=refresh_all, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED)
def new_output_files(context: dg.SensorEvaluationContext, paths: SzeiPaths):
    """data/raw/output/ 中有新文件或内容变化时启动运行 / run when delivered files change by content."""
    previous = json.loads(context.cursor) if context.cursor else {}
    state = fingerprint(paths.output_path, previous.get("files", {}))
    key = content_key(state)
    if key == previous.get("key"):
        context.update_cursor(json.dumps({**previous, "files": state}))
        return dg.SkipReason("文件内容未变化 / no new or changed file")
    changed = sorted(
        name for name, s in state.items()
        if previous.get("files", {}).get(name, {}).get("sha256") != s["sha256"]
    )
    removed = sorted(set(previous.get("files", {})) - set(state))
    # Dagster never reuses a run key: count the changes so that returning to an earlier set of
    # files (a bad file removed again) still starts a run.
    sequence = previous.get("sequence", 0) + 1
    context.update_cursor(json.dumps({"key": key, "files": state, "sequence": sequence}))
    return dg.RunRequest(
        run_key=f"{key[:16]}-{sequence}",
        tags={"szei/changed_files": ",".join(changed)[:200], "szei/removed_files": ",".join(removed)[:200]},
    )
