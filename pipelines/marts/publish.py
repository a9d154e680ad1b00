"""Publish a candidate marts file atomically, one build at a time.

Readers keep the file they opened: os.replace swaps the directory entry, so an analyst's
read-only connection goes on reading the previous marts until it reconnects, and a run never
waits for (or breaks) a reader. A killed run leaves only a stray candidate, removed by the next
run under the lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.errors import MartsLockedError, SzeiError
from pipelines.settings import Settings

CANDIDATE_SUFFIX = ".building"


DUCKDB_MAGIC = b"DUCK"  # bytes 8–11 of every DuckDB database file


def check_publish_target(published: Path) -> None:
    """Refuse, before any work, a marts path that is not where marts can be published: a folder (the
    rename at publication would fail), or an existing file that is not a DuckDB database (a mistyped
    path: publishing would replace it)."""
    if published.is_dir():
        raise SzeiError(
            "数据集市路径（--marts 或 SZEI_MARTS_DB）指向的是一个文件夹，不是数据集市文件；请给出 .duckdb 文件的路径（如 data/marts/szei.duckdb）",
            "the marts path (--marts or SZEI_MARTS_DB) names a folder, not a marts file: give the path of a .duckdb "
            "file (e.g. data/marts/szei.duckdb)",
            file=str(published),
        )
    if published.is_file():
        try:
            with published.open("rb") as f:
                head = f.read(12)
        except OSError as err:
            raise SzeiError(f"无法读取数据集市路径（--marts 或 SZEI_MARTS_DB）指向的文件（{err.strerror}）",
                            f"cannot read the file the marts path (--marts or SZEI_MARTS_DB) names ({err.strerror})", file=str(published)) from None
        if head[8:12] != DUCKDB_MAGIC:
            raise SzeiError(
                "数据集市路径（--marts 或 SZEI_MARTS_DB）指向的已有文件不是 DuckDB 数据集市，为免覆盖它，本次未运行；"
                "请检查路径，或移走该文件后再运行",
                "the existing file the marts path (--marts or SZEI_MARTS_DB) names is not a DuckDB marts file; not run, so as not to overwrite it: "
                "check the path, or move the file away and run again",
                file=str(published),
            )


def candidate_path(published: Path, run_id: str) -> Path:
    return published.with_name(f".{published.stem}.{run_id}{CANDIDATE_SUFFIX}{published.suffix}")


def remove_stale_candidates(published: Path) -> list[Path]:
    """Candidates left by killed runs (call only while holding the build lock)."""
    stale = sorted(published.parent.glob(f".{published.stem}.*{CANDIDATE_SUFFIX}{published.suffix}*"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def lock_wait_seconds() -> float:
    """How long a run waits for another run's build (`SZEI_LOCK_WAIT_SECONDS`, default one hour)."""
    return Settings.from_env().lock_wait_seconds


@contextmanager
def build_lock(published: Path, wait_seconds: float | None = None,
               on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Exclusive lock for building and publishing `published`.

    Held by another run: wait for it (`on_wait` is called once, to say so), up to `wait_seconds`
    (default `lock_wait_seconds()`); then refuse with a message. Two runs started together thus both
    finish, one after the other, each publishing a complete file."""
    wait_seconds = lock_wait_seconds() if wait_seconds is None else wait_seconds
    try:
        published.parent.mkdir(parents=True, exist_ok=True)
        handle = open(published.parent / f".{published.name}.lock", "a+")  # noqa: SIM115 - held until the finally below
    except OSError as err:
        raise SzeiError(
            f"无法在数据集市目录中写入（{err.strerror}），请检查磁盘空间与目录权限",
            f"cannot write in the marts folder ({err.strerror}): check free space and permissions",
            file=str(published.parent),
        ) from None
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise MartsLockedError(
                        f"另一个运行正在生成该数据集市，已等待 {wait_seconds:.0f} 秒仍未结束，请稍后再运行",
                        f"another run is building these marts and did not finish within {wait_seconds:.0f} s; "
                        "run again later",
                        file=str(published),
                    ) from None
                if on_wait is not None:
                    on_wait()
                    on_wait = None
                time.sleep(0.5)
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
