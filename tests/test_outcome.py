"""The one-line summary of a run (a Dagster check's description): every kind of finding counted, or clean."""

from __future__ import annotations

from pipelines.outcome import RunOutcome, short_summary


def test_a_clean_run_says_so():
    assert short_summary(RunOutcome()) == "干净 / clean（退出码 / exit code 0）"


def test_each_kind_of_finding_is_counted_in_order():
    outcome = RunOutcome(rows_rejected=1234, rejected_files=[("a.csv", "坏")], ignored_files=[("b.txt", "注释", "a note"), ("c", "", "")],
                         warnings={"ytd_decrease": 2, "unit_slip": 1001}, gate_notes=["x"], blocked=["y", "z"])
    assert short_summary(outcome) == (
        "退回 1,234 行 / 1,234 rows rejected；整个被拒收的文件 1 个 / files rejected whole；"
        "未读取的文件 2 个 / files ignored；提示 1,003 行 / rows warned；需要核实 1 项 / to review；"
        "阻断发布 2 项 / blocking（退出码 / exit code 3）")
    assert short_summary(RunOutcome(warnings={"unit_slip": 1})) == "提示 1 行 / rows warned（退出码 / exit code 1）"
