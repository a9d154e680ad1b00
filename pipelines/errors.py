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
