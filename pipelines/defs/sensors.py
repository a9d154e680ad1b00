"""Start a run when a delivered file (data/raw/output/) or a reference file (data/raw/targets/) is new,
removed, or its content changed (by sha256).

The first tick after the sensor is turned on only records the files it finds (its cursor): the marts
already published were built from them, and turning the sensor on must not rebuild everything.
"""


import hashlib
import json
from pathlib import Path

import dagster as dg

from pipelines.defs.jobs import refresh_all
from pipelines.defs.resources import SzeiPaths
from pipelines.fileinfo import sha256_of
from pipelines.settings import Settings
from pipelines.validation import list_output_files


def watched_files(paths: SzeiPaths) -> dict[str, Path]:
    """name → path: the delivered files by their path under output/ (files in subfolders are read
    too), the reference files as 'targets/<name>'."""
    output_dir = paths.output_path
    files = {p.relative_to(output_dir).as_posix(): p for p in list_output_files(output_dir)}
    if paths.targets_path.is_dir():
        files |= {f"targets/{p.name}": p for p in sorted(paths.targets_path.iterdir()) if p.is_file()}
    return files


def fingerprint(files: dict[str, Path], known: dict[str, dict]) -> dict[str, dict]:
    """name → {size, mtime_ns, sha256}; a file is re-hashed only when its size or mtime moved.

    The run decision is made on the hashes alone: a touched but unchanged file starts nothing.
    """
    state = {}
    for name, path in files.items():
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


# seconds between two looks at the folders (a deployment may look more often: SZEI_SENSOR_INTERVAL_SECONDS)
@dg.sensor(job=refresh_all, minimum_interval_seconds=Settings.from_env().sensor_interval_seconds, default_status=dg.DefaultSensorStatus.STOPPED)
def new_output_files(context: dg.SensorEvaluationContext, paths: SzeiPaths):
    """output/ 或 targets/ 中有新文件、文件删除或内容变化时启动运行（首次只记录现有文件）/
    run when delivered or reference files change by content (the first tick only records them)."""
    previous = json.loads(context.cursor) if context.cursor else None
    state = fingerprint(watched_files(paths), (previous or {}).get("files", {}))
    key = content_key(state)
    if previous is None:
        context.update_cursor(json.dumps({"key": key, "files": state, "sequence": 0}))
        return dg.SkipReason(f"首次检查：已记录现有 {len(state)} 个文件，不启动运行 / "
                             f"first tick: recorded the {len(state)} current files, no run")
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
