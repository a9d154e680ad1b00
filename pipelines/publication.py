"""Publishing is one unit: the marts and the report that was rendered from them are published together,
or not at all.

A run that renders the report does not publish its marts when they are built: the checked candidate is
*staged* (`stage_marts`), the report is rendered from the staged file into a folder beside the report
folder, and only then are the marts file and the report files swapped in, one `os.replace` each, under the
marts build lock (`publish_together`). Every file it replaces is first hard-linked to a backup, so that a
failure part-way puts every file back: readers see the old marts and report, or the new ones.

When a step fails, the message says exactly what changed (`PublicationError`): normally nothing; if even
putting a file back failed, which files are new.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from pipelines.errors import SzeiError
from pipelines.marts.export import LINK_NAME, point_link, remove_old_versions, version_folder, write_parquet
from pipelines.marts.publish import build_lock

STAGED_SUFFIX = ".staged"
STALE_AFTER_S = 3600  # a staged file older than this belongs to a run that died before publishing


class PublicationError(SzeiError):
    """Publishing the marts and the report together failed; nothing was replaced."""


class PartialPublicationError(PublicationError):
    """Publishing failed and some files could not be put back: the message names them."""


def staged_path(published: Path, run_id: str) -> Path:
    return published.with_name(f".{published.stem}.{run_id}{STAGED_SUFFIX}{published.suffix}")


def stage_marts(candidate: Path, published: Path, run_id: str) -> Path:
    """Keep a checked candidate for publication with the report (call under the build lock)."""
    staged = staged_path(published, run_id)
    os.replace(candidate, staged)
    return staged


def remove_stale_staged(published: Path) -> None:
    """Staged marts of runs that died before publishing (older than an hour: never a live run's)."""
    now = time.time()
    for path in published.parent.glob(f".{published.stem}.*{STAGED_SUFFIX}{published.suffix}*"):
        try:
            if now - path.stat().st_mtime > STALE_AFTER_S:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def discard_staged(staged: Path) -> None:
    staged.unlink(missing_ok=True)
    staged.with_name(staged.name + ".wal").unlink(missing_ok=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def swap_in(pairs: list[tuple[Path, Path]], tag: str) -> None:
    """Replace each `target` by its `source` (same file system), all or none.

    Each existing target is hard-linked to a backup first; if any replace fails, the targets already
    replaced are put back from their backups (or removed if they did not exist) and the error is
    raised as a PublicationError saying what, if anything, stayed changed."""
    backups: dict[Path, Path | None] = {}
    done: list[Path] = []
    try:
        for _, target in pairs:
            backup = target.with_name(f".{target.name}.{tag}.previous")
            backup.unlink(missing_ok=True)
            if target.exists():
                os.link(target, backup)
                backups[target] = backup
            else:
                backups[target] = None
        for source, target in pairs:
            with open(source, "rb") as f:
                os.fsync(f.fileno())
            os.replace(source, target)
            done.append(target)
        for folder in {t.parent for _, t in pairs}:
            _fsync_dir(folder)
    except OSError as err:
        stuck = []
        for target in reversed(done):
            backup = backups.get(target)
            try:
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink(missing_ok=True)
            except OSError:
                stuck.append(target)
        if stuck:
            names = "、".join(str(t) for t in stuck)
            raise PartialPublicationError(
                f"发布失败（{err.strerror or err}），且以下文件已是本次运行的新版本、未能恢复：{names}；其余文件保持上次发布的结果",
                f"publishing failed ({err.strerror or err}) and these files are already this run's and could not be "
                f"put back: {names}; every other file is as last published",
            ) from None
        raise PublicationError(
            f"发布失败（{err.strerror or err}）：数据集市与报告均未替换，仍为上次发布的结果",
            f"publishing failed ({err.strerror or err}): neither the marts nor the report were replaced; both are as "
            "last published",
        ) from None
    finally:
        for backup in backups.values():
            if backup is not None:
                backup.unlink(missing_ok=True)


def publish_with_report(staged: Path, published: Path, report_dir: Path, run_id: str, render) -> dict[str, Path]:
    """Render the report from the staged marts (`render(marts_db, out_dir) -> {kind: path}`), then publish
    the marts and the report together. On any failure nothing is replaced and the staged marts are
    discarded; the error says so."""
    report_dir = Path(report_dir).resolve()
    report_dir.parent.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in report_dir.parent.glob(f".szei-stage-{report_dir.name}-*"):  # left by runs killed while rendering
        try:
            if now - old.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
    stage = report_dir.parent / f".szei-stage-{report_dir.name}-{run_id}"
    shutil.rmtree(stage, ignore_errors=True)
    done = False
    try:
        try:
            rendered = render(staged, stage)
        except SzeiError as err:
            raise type(err)(
                f"{err.zh}；数据集市与报告均未替换，仍为上次发布的结果",
                f"{err.en}; neither the marts nor the report were replaced",
                file=err.file, row=err.row, column=err.column,
            ) from None
        report_dir.mkdir(parents=True, exist_ok=True)
        pairs = [(staged, published)] + [(Path(p), report_dir / Path(p).name) for p in rendered.values()]
        os.chmod(staged, 0o444)  # published marts are read-only on disk (pipelines.marts.publish)
        with build_lock(published):
            parquet = version_folder(published, run_id)
            try:
                if not parquet.is_dir():  # another run's clean-up took it while the report was rendered
                    write_parquet(staged, parquet)
                swap_in(pairs, run_id)
                point_link(published, parquet)  # the Parquet copy follows the marts it was written from
            finally:
                remove_old_versions(published)
        done = True
        return {kind: report_dir / Path(p).name for kind, p in rendered.items()}
    finally:
        discard_staged(staged)
        shutil.rmtree(stage, ignore_errors=True)
        if not done:  # this run's Parquet copy, never linked: its marts were not published
            link = published.parent / LINK_NAME
            folder = version_folder(published, run_id)
            if not (link.is_symlink() and os.readlink(link) == folder.name):
                shutil.rmtree(folder, ignore_errors=True)
