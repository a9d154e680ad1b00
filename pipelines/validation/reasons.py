"""The catalogue of reasons: every code a rejected row (`reason_catalogue`) or a warning (`WARNINGS`) can
carry, with its titles.

Row rules bring their own titles (`rules.row_rules`); the reasons found across rows (duplicates, the
per-enterprise bound), for a whole file and while reading are stated here, once."""

from __future__ import annotations

from pipelines.ingest.rawfile import READ_REASONS
from pipelines.validation.rules import Rule, row_rules
from pipelines.validation.vocabulary import PLAN, Context

# reasons not computed by row_rules (cross-row / whole-file); code → (Chinese title, English title)
OTHER_REASONS = {
    "duplicate_exact": ("重复记录（完全相同，保留第一条）", "exact duplicate (the first copy is kept)"),
    "duplicate_conflict": ("同键记录数值冲突（全部拒收）", "conflicting duplicates (every copy rejected)"),
    "file_error": ("整个文件无法接收", "the whole file cannot be accepted"),
    "value_above_bound": ("本年累计产值超过单个企业上限", "value above the per-enterprise bound"),
} | READ_REASONS  # found while reading the file

WARNINGS = {
    "ytd_decrease": ("本年累计产值低于同年上一累计期", "year-to-date value lower than the previous period of the same year"),
    "unit_slip": ("与上一累计期相比变化 ≥10 倍，可能是计量单位错误", "≥10× change against the previous period: possible unit slip"),
    # no year in the title: the run's plan says when each area takes effect, and each warning's message
    # names its area and year (row_warnings.py); reading a plan here, at import, read the bundled one
    "new_area_before_valid": ("新区设立生效前出现其数据（已保留并计入原区）",
                              "a new area before it takes effect (kept, counts toward its parent district)"),
    # found while reading (pipelines.ingest.xlsx; core: rows hidden in Excel that were accepted)
    "hidden_row": ("该行在 Excel 中被隐藏（已读取并接收）", "row hidden in Excel (read and accepted)"),
    "hidden_sheet": ("工作簿含隐藏的工作表（未读取）", "hidden sheet in the workbook (not read)"),
    "file_no_records": ("文件只有表头，没有数据行", "a header and no data rows"),
    "other_sheet_not_read": ("工作簿中另有含表头的工作表（未读取）", "another sheet with a data header (not read)"),
}


def reason_catalogue(ctx: Context | None = None) -> dict[str, tuple[str, str]]:
    """Every rejection reason code → (Chinese title, English title)."""
    ctx = ctx or Context({}, [], {}, {}, {}, list(PLAN.industries.names), [])
    out = {r.code: (r.title_zh, _en_title(r)) for r in row_rules(ctx)}
    return out | OTHER_REASONS


def _en_title(rule: Rule) -> str:
    return rule.code.replace("_", " ")
