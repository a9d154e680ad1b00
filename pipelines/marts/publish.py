"""Publish a candidate marts file atomically, one build at a time.

Readers keep the file they opened: os.replace swaps the directory entry, so an analyst's
read-only connection goes on reading the previous marts until it reconnects, and a run never
waits for (or breaks) a reader. A killed run leaves only a stray candidate, removed by the next
run under the lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.errors import MartsLockedError, SzeiError

CANDIDATE_SUFFIX = ".building"


def candidate_path(published: Path, run_id: str) -> Path:
    return published.with_name(f".{published.stem}.{run_id}{CANDIDATE_SUFFIX}{published.suffix}")


def remove_stale_candidates(published: Path) -> list[Path]:
    """Candidates left by killed runs (call only while holding the build lock)."""
    stale = sorted(published.parent.glob(f".{published.stem}.*{CANDIDATE_SUFFIX}{published.suffix}*"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


@contextmanager
def build_lock(published: Path) -> Iterator[None]:
    """Exclusive lock for building and publishing `published`; refuses at once if held."""
    try:
        published.parent.mkdir(parents=True, exist_ok=True)
        handle = open(published.parent / f".{published.name}.lock", "a+")
    except OSError as err:
        raise SzeiError(
            f"无法在数据集市目录中写入（{err.strerror}），请检查磁盘空间与目录权限",
            f"cannot write in the marts folder ({err.strerror}): check free space and permissions",
            file=str(published.parent),
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MartsLockedError(
                "另一个运行正在生成该数据集市，请等待其结束后再运行",
                "another run is building these marts; wait for it to finish and run again",
                file=str(published),
            ) from None
        yield
    finally:
        handle.close()


def publish(candidate: Path, published: Path) -> None:
    """Make `candidate` the published marts in one atomic rename (same folder, same filesystem).

    The published file is read-only on disk (0444): a connection opened without `read_only` would
    write into a file the next run replaces, and its writes would be lost without a word; instead it
    fails at once with "Permission denied" (except for root, whom file modes do not stop).
    """
    with open(candidate, "rb") as f:
        os.fsync(f.fileno())
    os.chmod(candidate, 0o444)
    os.replace(candidate, published)
    dir_fd = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
