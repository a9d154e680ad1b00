"""A delivered period never vanishes; a readable base file is required; an absent period is said (issue 12).

Each case starts from the bundled sample copied into tmp_path (`Deployment`), changes one thing with polars,
and runs `szei run --no-report` in-process: blocked (exit 3, the published marts byte-identical) or published
(exit 1, the finding named in the summary and in `dq_publication_gate`), every input row accounted for.
"""

from __future__ import annotations

import polars as pl

from pipelines.cli_validate import run_validate
from pipelines.outcome import EXIT_FINDINGS
from tests.test_publication_gate import SAMPLE, VALUE, Deployment, accounted_for, blocked, dep, published  # noqa: F401
from tests.test_validation_rules import row, uscc, write_csv

TARGETS = SAMPLE / "targets"


def year_end_records(dep: Deployment, year: int, months: int) -> int:
    return dep.query("select count(*) from int_attributed_output where year = ? and ytd_months = ?", [year, months])[0][0]


# ------------------------------------------------------------------------------ a period never vanishes
def test_a_period_delivered_twice_with_different_values_blocks(published, capsys):
    """2012_1-9月.csv delivered again as 2012_1-9月_南山区.csv with every value 1% higher: every record is a
    conflict, every copy rejected — the period would disappear from the marts behind exit 1."""
    dep = published
    q3 = dep.read("2012_1-9月.csv")
    before = year_end_records(dep, 2012, 9)
    dep.write("2012_1-9月_南山区.csv", q3.with_columns((pl.col(VALUE).cast(pl.Float64) * 1.01).round(2).cast(pl.String)))
    text = blocked(dep, capsys)
    assert ("2012年1-9月：文件 2012_1-9月.csv、2012_1-9月_南山区.csv 报送了该期，但该期没有一条记录被接收，整个统计期会缺失——"
            f"{2 * q3.height} 行在 2012_1-9月.csv、2012_1-9月_南山区.csv 中重复报送且数值不一致") in text
    conflicts = dep.batch().quarantine.filter((pl.col("reason_codes") == "duplicate_conflict")
                                              & pl.col("source_file").str.starts_with("2012_1-9月")).height
    assert conflicts == 2 * q3.height
    assert " / 2012 1-9: file(s) 2012_1-9月.csv、2012_1-9月_南山区.csv deliver the period but not one of its records " \
           "was accepted" in text
    batch = dep.batch()
    accounted_for(batch)
    assert batch.records.filter((pl.col("year") == 2012) & (pl.col("ytd_months") == 9)).height == 0
    assert year_end_records(dep, 2012, 9) == before  # the last good 1-9月 stays published


def test_conflicts_taking_a_fifth_of_a_period_block(published, capsys):
    """A third of the enterprises re-sent with other values: both copies of each are rejected, and the rest
    of the period would be published without them."""
    dep = published
    q3 = dep.read("2012_1-9月.csv")
    resent = q3.head(q3.height // 3)
    assert 0.2 * q3.height <= resent.height < q3.height
    dep.write("2012_1-9月_补报.csv", resent.with_columns((pl.col(VALUE).cast(pl.Float64) + 1).cast(pl.String)))
    text = blocked(dep, capsys)
    batch = dep.batch()
    accounted_for(batch)
    kept = batch.records.filter((pl.col("year") == 2012) & (pl.col("ytd_months") == 9)).height
    lost = batch.quarantine.filter((pl.col("reason_codes") == "duplicate_conflict")  # two copies each
                                   & pl.col("source_file").str.starts_with("2012_1-9月")).height // 2
    assert lost == resent.height and kept == q3.height - resent.height
    assert (f"2012年1-9月：{lost} 条记录在 2012_1-9月.csv、2012_1-9月_补报.csv 中重复报送且数值不一致，全部拒收，"
            f"占该期记录的 {round(100 * lost / (lost + kept))}%；只发布其余 {kept} 条会少算该期") in text


def test_a_conflict_or_two_is_rejected_and_the_rest_published(published, capsys):
    """Below a fifth of the period, conflicting records are rejected (the contract) and the rest publishes."""
    dep = published
    q3 = dep.read("2012_1-9月.csv")
    dep.write("2012_1-9月_补报.csv", q3.head(2).with_columns((pl.col(VALUE).cast(pl.Float64) + 1).cast(pl.String)))
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text
    assert dep.query("select count(*) from dq_publication_gate where check_code like 'period_%'")[0][0] == 0
    assert year_end_records(dep, 2012, 9) == q3.height - 2
    accounted_for(dep.batch())


def test_a_file_holding_another_periods_rows_blocks(published, capsys):
    """2012_1-9月.csv carries the 1-6月 rows (the clerk re-sent last quarter under the new name): every row is
    a duplicate of 1-6月, and 1-9月 would vanish."""
    dep = published
    q2 = dep.read("2012_1-6月.csv")
    dep.write("2012_1-9月.csv", q2)
    text = blocked(dep, capsys)
    batch = dep.batch()
    accounted_for(batch)
    # the rows that passed the row rules (the sample's 1-6月 holds bad rows, rejected in both files)
    copies = batch.quarantine.filter((pl.col("source_file") == "2012_1-9月.csv")
                                     & pl.col("reason_codes").str.contains(r"^duplicate_\w+(,duplicate_\w+)*$")).height
    assert 0 < copies <= q2.height
    assert (f"2012年1-9月：文件 2012_1-9月.csv 报送了该期，但该期没有一条记录被接收，整个统计期会缺失——文件 2012_1-9月.csv 的 "
            f"{copies} 行写的是 2012年1-6月，属于其他统计期") in text
    assert f"the {copies} rows of file 2012_1-9月.csv say 2012 1-6: they belong to another period" in text


# ------------------------------------------------------------------------------ a readable base file
def test_a_lone_base_file_rejected_whole_blocks_until_removed(published, capsys):
    """2012_1-12月.csv (no 修订 beside it) with a value header without unit: the year end would vanish —
    blocked. Removing the file is the statistician's way to publish without the period: exit 1, and the
    summary says the period the last publication had is gone."""
    dep = published
    (dep.output / "2012_1-12月_修订.csv").unlink()
    dep.write("2012_1-12月.csv", dep.read("2012_1-12月.csv").rename({VALUE: "本年累计产值"}))
    text = blocked(dep, capsys)
    assert "2012年1-12月：文件 2012_1-12月.csv 整个被拒收，该期没有其他可用的记录，整个统计期会缺失" in text
    assert "2012 1-12: file 2012_1-12月.csv was rejected whole and no other file delivers the period" in text
    # the whole-file rejection line of the summary carries the English too
    assert "列「本年累计产值」：产值列表头未注明可识别的计量单位" in text and "the value header carries no recognised unit" in text
    accounted_for(dep.batch())

    (dep.output / "2012_1-12月.csv").unlink()
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text
    assert "2012年1-12月：上次发布的结果有该期，本次没有收到该期的文件，发布后该期不再出现" in text
    assert "/ 2012 1-12: the last publication had this period and no file delivers it now" in text
    assert "数据完整无误" not in text
    assert dep.query("select check_code, blocking from dq_publication_gate where year = 2012 and ytd_months = 12") == [
        ("period_gone", False)]
    assert year_end_records(dep, 2012, 12) == 0


def test_a_base_file_rejected_beside_its_revision_is_named_as_such(published, capsys):
    """The messages say what is true: the base file was rejected whole, not '没有基础文件'."""
    dep = published
    dep.write("2012_1-12月.csv", dep.read("2012_1-12月.csv").rename({VALUE: "本年累计产值"}))
    text = blocked(dep, capsys)
    assert "文件：基础文件被整体退回：2012_1-12月.csv" in text
    assert "(files: base file rejected whole: 2012_1-12月.csv)" in text
    assert "没有基础文件）" not in text


# ------------------------------------------------------------------------------ an absent period
def test_a_period_with_no_file_between_delivered_ones_is_said(dep, capsys):
    """No 2012_1-6月 file at all (a late file), no earlier publication: published (item 7), but not clean."""
    (dep.output / "2012_1-6月.csv").unlink()
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text
    assert "2012年1-6月：没有收到该期的任何文件（前后的统计期都有数据），本次发布不含该期" in text
    assert "2012 1-6: no file delivers this period" in text
    assert dep.query("select check_code, blocking from dq_publication_gate where check_code like 'period_%'") == [
        ("period_missing", False)]
    accounted_for(dep.batch())


def test_a_period_the_last_publication_had_is_said_when_gone(published, capsys):
    dep = published
    (dep.output / "2012_1-3月.csv").unlink()
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text
    assert "2012年1-3月：上次发布的结果有该期，本次没有收到该期的文件" in text
    # said once, as gone (not also as missing)
    assert dep.query("select check_code from dq_publication_gate where check_code like 'period_%'") == [("period_gone",)]


# ------------------------------------------------------------------------------ szei validate
def test_validate_prints_the_gate_and_exits_3(tmp_path, capsys):
    a = write_csv(tmp_path / "2012_1-3月.csv", [row(code=uscc(1), val="100"), row(code=uscc(2), val="200")])
    b = write_csv(tmp_path / "2012_1-3月_南山区.csv", [row(code=uscc(1), val="101"), row(code=uscc(2), val="201")])
    assert run_validate([a, b], None, TARGETS) == 3
    out = capsys.readouterr().out
    assert "发布闸门（按所给文件判断）/ publication gate (judged from the files given)" in out
    assert ("[阻断发布 / blocking] 2012年1-3月：文件 2012_1-3月.csv、2012_1-3月_南山区.csv 报送了该期，但该期没有一条记录被接收，"
            "整个统计期会缺失——4 行在 2012_1-3月.csv、2012_1-3月_南山区.csv 中重复报送且数值不一致") in out
    # one file alone is consistent: nothing for the gate, exit 0
    assert run_validate([a], None, TARGETS) == 0
    assert "发布闸门" not in capsys.readouterr().out


def test_validate_says_a_gap_and_exits_1(tmp_path, capsys):
    files = [write_csv(tmp_path / f"2012_1-{m}月.csv", [row(period=f"1-{m}月", code=uscc(1), val=str(m * 100))])
             for m in (3, 9)]
    assert run_validate(files, None, TARGETS) == 1
    out = capsys.readouterr().out
    assert "[需要核实 / to review] 2012年1-6月：没有收到该期的任何文件" in out
