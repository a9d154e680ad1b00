"""Every entry under output/: which files are read, which are ignored and why — nothing in silence.

What is read (an attempt is made; a file that turns out unreadable is *rejected* with its cause):
`.csv`, `.txt` and `.tsv` text tables (any separator among `,` tab `;` `|`; UTF-8, GBK, UTF-16),
`.xlsx`/`.xlsm` workbooks, the same compressed as `.gz` (e.g. `.csv.gz`), and the formats that
are recognised only to say why they cannot be read (`.xls`, `.zip`, `.ods`, `.xlsb`, `.et`,
`.numbers`). Files in subfolders are read, at any depth, and named by their path under output/
(`南山/2012_1-3月.csv`): a clerk's folder never vanishes.

What is ignored, with the reason in Chinese and English (`dq_file_summary.status = 'ignored'`):
hidden files and folders (name starting with `.`, e.g. macOS `._x.csv`, `.DS_Store`), Office lock
files (`~$x.xlsx`), any other extension, empty folders, links to folders, and szei's own sample
marker `模拟数据.json`.

Order: revisions (`修订`) apply in the order of their number (`修订` = `修订1` < `修订2` < `修订10`),
after every other file; otherwise files go by name with numbers compared as numbers.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.rawfile import REVISION_MARK
from pipelines.ingest.text import display_name

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# recognised so that the reader can say why they cannot be read (rejected, with the cause)
KNOWN_UNREADABLE = (".xls", ".zip", ".ods", ".xlsb", ".et", ".ett", ".numbers", ".7z", ".rar")
READ_SUFFIXES = TEXT_SUFFIXES + WORKBOOK_SUFFIXES + KNOWN_UNREADABLE + (".gz",)
SAMPLE_MARKER = "模拟数据.json"  # written by `szei sample` beside its files (pipelines.sample.writing)

READ_LIST_ZH = ".csv、.txt、.tsv、.xlsx、.xlsm，及其 .gz 压缩文件"
READ_LIST_EN = ".csv, .txt, .tsv, .xlsx, .xlsm, and these compressed as .gz"


@dataclass(frozen=True)
class Entry:
    """One entry under output/: a file to read, or an ignored entry with its reason."""

    path: Path
    label: str  # its path under output/ (posix), as named in messages and in dq_file_summary
    status: str = "read"  # 'read' (to be read) | 'ignored' | 'rejected' (a folder that cannot be opened)
    reason_zh: str | None = None
    reason_en: str | None = None

    @property
    def to_read(self) -> bool:
        return self.status == "read"


def suffix_of(name: str) -> str:
    """The extension in lower case, without trailing spaces (`x.CSV ` → `.csv`)."""
    return Path(name.strip()).suffix.lower().strip()


def ignore_reason(name: str) -> tuple[str, str] | None:
    """(zh, en) when a file of this name is not read; None when it is."""
    if name == SAMPLE_MARKER:
        return ("szei sample 写入的模拟数据说明文件，不是报送数据，不读取",
                "the marker written by szei sample beside its synthetic files; not a delivery, not read")
    if name.startswith("~$"):
        return ("Office 打开文件时生成的锁文件（~$ 开头），不是数据，不读取；关闭 Excel 后它会自动消失",
                "an Office lock file (~$…), written while the workbook is open; not data, not read")
    if name.startswith("._"):
        return ("macOS 生成的附属文件（._ 开头），不是数据，不读取",
                "a macOS AppleDouble file (._…); not data, not read")
    if name.startswith("."):
        return ("隐藏文件（名称以 . 开头），不读取", "a hidden file (name starts with '.'); not read")
    suffix = suffix_of(name)
    if suffix not in READ_SUFFIXES:
        kind = f"「{suffix}」" if suffix else "（无扩展名）"
        kind_en = f"'{suffix}'" if suffix else "(no extension)"
        return (f"文件类型{kind}不是数据文件，不读取（读取的类型：{READ_LIST_ZH}）",
                f"file type {kind_en} is not a data file and is not read (read: {READ_LIST_EN})")
    return None


def _revision_number(name: str) -> int:
    """0 for a base file; the number after `修订` for a revision (`修订` alone, `修订版`: 1)."""
    at = name.find(REVISION_MARK)
    if at < 0:
        return 0
    m = re.match(r"\s*[_\-－（(第]*\s*(\d+)", name[at + len(REVISION_MARK):])
    if m:
        return max(int(m.group(1)), 1)
    m = re.match(r"\s*[_\-－（(第]*\s*([一二三四五六七八九十]+)", name[at + len(REVISION_MARK):])
    return _chinese_number(m.group(1)) if m else 1


def _chinese_number(text: str) -> int:
    digits = dict(zip("一二三四五六七八九", range(1, 10)))
    if "十" not in text:
        return digits.get(text[-1], 1)
    tens, _, ones = text.partition("十")
    return digits.get(tens, 1) * 10 + digits.get(ones, 0)


def natural_key(text: str) -> tuple:
    """Numbers compared as numbers: `1-3月` < `1-12月`, `修订2` < `修订10`."""
    parts = re.split(r"(\d+)", text)
    return tuple((0, int(p), "") if i % 2 else (1, 0, p) for i, p in enumerate(parts) if p != "")


def order_key(name: str, where: str = "") -> tuple:
    """The order files are processed in: base files first, then revisions by their number; by name within."""
    return (_revision_number(name), natural_key(name), natural_key(where))


def inventory(output_dir: Path) -> list[Entry]:
    """Every entry under `output_dir` (recursively), files to read in processing order, then the rest.

    A missing folder gives an empty list. Nothing is opened here but folders.
    """
    root = Path(output_dir)
    if not root.is_dir():
        return []
    read: list[Entry] = []
    other: list[Entry] = []

    def label(p: Path) -> str:
        return display_name(p.relative_to(root).as_posix())

    def walk(folder: Path) -> None:
        try:
            children = list(os.scandir(folder))
        except OSError as exc:
            other.append(Entry(folder, label(folder) + "/", "rejected",
                               f"无法打开文件夹（{exc.strerror}），其中的文件未读取",
                               f"cannot open the folder ({exc.strerror}); its files were not read"))
            return
        if not children and folder != root:
            other.append(Entry(folder, label(folder) + "/", "ignored", "空文件夹", "an empty folder"))
        for child in children:
            p = Path(child.path)
            try:
                is_dir = child.is_dir(follow_symlinks=False)
                is_link_dir = not is_dir and child.is_symlink() and p.is_dir()
                is_file = child.is_file()
            except OSError:
                is_dir = is_link_dir = is_file = False
            if is_dir:
                if child.name.startswith(".") or child.name == "__MACOSX":
                    n = sum(1 for _ in p.rglob("*")) if os.access(p, os.R_OK | os.X_OK) else 0
                    other.append(Entry(p, label(p) + "/", "ignored",
                                       f"隐藏或系统文件夹（含 {n} 个条目），其中的文件不读取",
                                       f"a hidden or system folder ({n} entries); its files are not read"))
                else:
                    walk(p)
            elif is_link_dir:
                other.append(Entry(p, label(p) + "/", "ignored", "指向文件夹的链接，不跟随读取",
                                   "a link to a folder; not followed"))
            elif is_file:
                why = ignore_reason(display_name(child.name))
                if why is None:
                    read.append(Entry(p, label(p)))
                else:
                    other.append(Entry(p, label(p), "ignored", *why))
            else:
                other.append(Entry(p, label(p), "ignored", "不是普通文件（设备、管道或失效的链接），不读取",
                                   "not a regular file (device, pipe or broken link); not read"))

    walk(root)
    read.sort(key=lambda e: order_key(e.label.rsplit("/", 1)[-1], e.label))
    other.sort(key=lambda e: natural_key(e.label))
    return read + other


def list_output_files(output_dir: Path) -> list[Path]:
    """The files of `output_dir` (and its subfolders) that are read, in processing order."""
    return [e.path for e in inventory(output_dir) if e.to_read]
