"""User-facing errors: one message in Chinese and English, never a bare traceback."""

from __future__ import annotations


class SzeiError(Exception):
    """A problem the user can fix (a missing folder, an unreadable file, a locked database).

    The CLI prints `message()` and exits with `exit_code`; nothing else is shown.
    """

    exit_code = 2

    def __init__(
        self,
        zh: str,
        en: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.zh = zh
        self.en = en
        self.file = file
        self.row = row
        self.column = column
        super().__init__(self.message())

    def where(self) -> str:
        parts = []
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"列「{self.column}」")
        return "，".join(parts)

    def message(self) -> str:
        where = self.where()
        prefix = f"{where}：" if where else ""
        return f"错误：{prefix}{self.zh}\nError: {self.en}"


class ReferenceDataError(SzeiError):
    """The work plan's reference data (targets, dictionaries) fails its own checks."""


class MartsLockedError(SzeiError):
    """Another run holds the marts build lock."""


class StorageError(SzeiError):
    """The disk is full, or a folder the run writes to is read-only or not permitted."""


_STORAGE = {
    # errno → (marker in the text of errors that carry no errno, e.g. DuckDB's), Chinese, English
    28: ("No space left on device", "磁盘空间不足", "no space left on device"),
    30: ("Read-only file system", "目录所在的文件系统是只读的", "the file system is read-only"),
    13: ("Permission denied", "没有写入权限", "permission denied"),
    1: ("Operation not permitted", "没有写入权限", "operation not permitted"),
}


def storage_error(err: BaseException | str, folder: object, *, what: str = "数据集市",
                  what_en: str = "marts") -> StorageError | None:
    """A clear message for a full disk or a read-only/forbidden folder, or None for any other error.

    Works on OSError (by errno) and on errors that only carry the OS text (DuckDB's IOException).
    The published file is never touched before its atomic replace, so the message says it is intact.
    """
    errno = getattr(err, "errno", None)
    text = str(err)
    for code, (marker, zh, en) in _STORAGE.items():
        if errno == code or marker in text:
            return StorageError(
                f"{zh}，无法写入新的{what}；已发布的{what}保持不变、可以照常读取。请释放空间或检查目录权限后重新运行",
                f"{en}: cannot write the new {what_en}; the published {what_en} are unchanged and readable. "
                "Free some space or fix the folder's permissions, then run again",
                file=str(folder),
            )
    return None
