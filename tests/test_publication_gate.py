"""The publication gate (issue 12): incomplete or implausible deliveries stop at a blocking check.

Each case starts from the bundled sample, copied into tmp_path, changes one thing with polars, and
runs `szei run` in-process. It asserts the exact outcome: published or blocked, the message, the exit
code, the published marts untouched when blocked, and that every input row is accounted for.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.cli import main
from pipelines.outcome import EXIT_BLOCKED, EXIT_CLEAN, EXIT_FINDINGS
from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files
from tests.conftest import ROOT

VALUE = "本年累计产值（万元）"
SAMPLE = ROOT / "data" / "raw"


class Deployment:
    """A raw folder (a copy of the sample), a marts file; `run()` is `szei run --no-report` in-process."""

    def __init__(self, root: Path) -> None:
        self.raw = root / "raw"
        shutil.copytree(SAMPLE, self.raw)
        self.output = self.raw / "output"
        self.marts = root / "marts" / "szei.duckdb"

    def run(self, capsys) -> tuple[int, str]:
        capsys.readouterr()
        code = main(["run", "--raw-dir", str(self.raw), "--marts", str(self.marts), "--no-report"])
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert "Traceback" not in text
        return code, text

    def read(self, name: str) -> pl.DataFrame:
        return pl.read_csv(self.output / name, infer_schema=False)

    def write(self, name: str, frame: pl.DataFrame) -> None:
        frame.write_csv(self.output / name)

    def batch(self):
        return validate_output_files(list_output_files(self.output), load_reference(self.raw / "targets"))

    def query(self, sql: str, params=None):
        con = duckdb.connect(str(self.marts), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def accounted_for(batch) -> None:
    """Every input row ends accepted or rejected, per file (rows read = accepted + rejected)."""
    fs = batch.file_summary
    assert (fs["rows_read"] == fs["rows_accepted"] + fs["rows_rejected"]).all()
    assert int(fs["rows_rejected"].sum()) == batch.quarantine.height


@pytest.fixture
def dep(tmp_path) -> Deployment:
    return Deployment(tmp_path)


@pytest.fixture
def published(dep, capsys) -> Deployment:
    """The sample published once (8 rows of it are rejected on purpose: exit 1, findings to review)."""
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text
    assert "退回 8 行" in text and "已发布，但有上述退回" in text
    return dep


def blocked(dep: Deployment, capsys) -> str:
    """Run; assert it is blocked with the published marts byte-identical, and return what it said."""
    before = hashlib.sha256(dep.marts.read_bytes()).hexdigest()
    code, text = dep.run(capsys)
    assert code == EXIT_BLOCKED, text
    assert "未发布：上述问题阻断了发布，已发布的数据集市与报告保持上次的结果" in text
    assert hashlib.sha256(dep.marts.read_bytes()).hexdigest() == before
    return text


# ---------------------------------------------------------------------------------- completeness
def test_base_file_rejected_whole_beside_its_revision_blocks(published, capsys):
    """The issue's case: 2012_1-12月.csv with its value column renamed is rejected whole; the period
    would be published from the 7 records of the 修订 file alone ("同比下降 100.0%")."""
    dep = published
    dep.write("2012_1-12月.csv", dep.read("2012_1-12月.csv").rename({VALUE: "本年累计产值"}))
    text = blocked(dep, capsys)
    assert "2012年1-12月：文件 2012_1-12月.csv 整个被拒收，该期缺少这个文件的全部记录" in text
    assert "2012年1-12月：只有修订文件 2012_1-12月_修订.csv 的 7 条记录，没有可读的基础文件" in text
    assert "2012年1-12月：合计 0.52 亿元，不到上年同期 2011年1-12月（2058.2 亿元）的一半" in text
    batch = dep.batch()
    accounted_for(batch)
    assert batch.file_summary.filter(pl.col("source_file") == "2012_1-12月.csv")["rows_rejected"].item() == 1607
    # the published marts are still the last good ones: 2012 1-12月 from the whole base file
    assert dep.query("select count(*) from int_attributed_output where year = 2012 and ytd_months = 12")[0][0] == 1607


def test_header_only_base_file_beside_its_revision_blocks(published, capsys):
    dep = published
    dep.write("2012_1-12月.csv", dep.read("2012_1-12月.csv").head(0))
    text = blocked(dep, capsys)
    assert "2012年1-12月：只有修订文件 2012_1-12月_修订.csv 的 7 条记录，没有可读的基础文件（非修订文件）；该期不完整" in text
    accounted_for(dep.batch())


def test_a_period_missing_most_of_its_records_blocks(published, capsys):
    """2012 1-9月 delivered with the 南山区 enterprises only: fewer than half the records of 1-6月."""
    dep = published
    q3 = dep.read("2012_1-9月.csv")
    dep.write("2012_1-9月.csv", q3.filter(pl.col("注册地") == "南山区"))
    kept = q3.filter(pl.col("注册地") == "南山区").height
    assert kept < 0.8 * 1606
    text = blocked(dep, capsys)
    kept = q3.filter(pl.col("注册地") == "南山区").height
    assert f"2012年1-9月：记录数 {kept} 条，不到同年上一累计期 2012年1-6月（1606 条）的 80%，数据不完整；文件：2012_1-9月.csv" in text
    assert "2012年1-9月：本年累计合计" in text and "低于同年上一累计期 2012年1-6月 的 1250.92 亿元（累计值不应下降，且没有修订文件说明）" in text
    accounted_for(dep.batch())


def test_a_district_missing_from_a_period_blocks(published, capsys):
    """The 生物 records produced in 盐田区 (106) are missing from 1-12月 — as when a district's file of a
    split delivery is not there: the city total still grows, the district × industry cell collapses."""
    dep = published
    year_end = dep.read("2012_1-12月.csv")
    dep.write("2012_1-12月.csv", year_end.filter(~((pl.col("产业类别") == "生物") & (pl.col("产值发生地") == "盐田区"))))
    text = blocked(dep, capsys)
    assert "2012年1-12月：盐田区生物产业只有 0 条记录，不到同年上一累计期 2012年1-9月（106 条）的一半，可能缺少该区或该产业的文件" in text
    assert "记录数" not in text and "本年累计合计" not in text
    accounted_for(dep.batch())


def test_a_falling_ytd_total_without_a_revision_blocks(published, capsys):
    """Every 1-12月 value 30% lower: the year-to-date total falls below 1-9月 with no 修订 file to say why."""
    dep = published
    (dep.output / "2012_1-12月_修订.csv").unlink()
    year_end = dep.read("2012_1-12月.csv")
    dep.write("2012_1-12月.csv", year_end.with_columns((pl.col(VALUE).cast(pl.Float64) * 0.7).cast(pl.String)))
    text = blocked(dep, capsys)
    assert "2012年1-12月：本年累计合计" in text
    assert "低于同年上一累计期 2012年1-9月 的 1940.43 亿元（累计值不应下降，且没有修订文件说明）；文件：2012_1-12月.csv" in text
    accounted_for(dep.batch())


def test_a_fall_explained_by_a_revision_is_reported_not_blocking(dep, capsys):
    """A 修订 file that lowers year-end values below 1-9月: a correction, published with the finding shown."""
    rev = dep.read("2012_1-12月.csv").with_columns((pl.col(VALUE).cast(pl.Float64) * 0.7).cast(pl.String))
    dep.write("2012_1-12月_修订2.csv", rev)
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text
    assert "需要核实（不阻断发布）" in text and "已有修订文件" in text
    assert dep.query("select count(*) from dq_publication_gate where check_code = 'ytd_total_falls' and not blocking")[0][0] == 1
    accounted_for(dep.batch())


# ---------------------------------------------------------------------------------- plausibility
def test_a_first_quarter_keyed_in_yuan_blocks_and_names_that_file(published, capsys):
    """1-3月 keyed in 元 under a 万元 header: compared with last year's 1-3月 and the later quarters, the
    file itself is named with the unit it looks like; the correct 1-6月 file is not blamed."""
    dep = published
    q1 = dep.read("2012_1-3月.csv")
    dep.write("2012_1-3月.csv", q1.with_columns((pl.col(VALUE).cast(pl.Float64) * 10_000).round(2).cast(pl.String)))
    text = blocked(dep, capsys)
    assert "2012年1-3月：文件 2012_1-3月.csv 中" in text
    assert "看起来是以「元」填报的，而表头注明「万元」；请核对计量单位后重新报送" in text
    assert "2012_1-6月.csv 中" not in text and "2012年1-6月：本年累计合计" not in text
    batch = dep.batch()
    accounted_for(batch)
    # the row-level unit-slip warnings land on the slipped file only, and no YTD-decrease on the next one
    assert set(batch.warnings["source_file"]) == {"2012_1-3月.csv"}
    assert set(batch.warnings["warning_code"]) == {"unit_slip"}


def test_a_file_keyed_in_qianyuan_under_a_wanyuan_header_blocks(published, capsys):
    dep = published
    q3 = dep.read("2012_1-9月.csv")
    dep.write("2012_1-9月.csv", q3.with_columns((pl.col(VALUE).cast(pl.Float64) * 10).round(2).cast(pl.String)))
    text = blocked(dep, capsys)
    assert "2012年1-9月：文件 2012_1-9月.csv 中" in text and "看起来是以「千元」填报的" in text
    accounted_for(dep.batch())


def test_a_file_holding_the_previous_periods_figures_blocks(published, capsys):
    """2012_1-9月.csv delivered with the 1-6月 figures (only the 累计期 changed): a YTD value does not
    stand still for a whole file. The later file is named, the earlier one is not blamed."""
    dep = published
    q2 = dep.read("2012_1-6月.csv").filter(pl.col("累计期") == "1-6月")
    dep.write("2012_1-9月.csv", q2.with_columns(pl.lit("1-9月").alias("累计期")))
    text = blocked(dep, capsys)
    assert "2012年1-9月：文件 2012_1-9月.csv 中 100% 的可比企业" in text and "的数值与 2012年1-6月 完全相同" in text
    assert "文件 2012_1-6月.csv 中" not in text
    accounted_for(dep.batch())


def test_values_above_the_per_enterprise_bound_are_rejected(dep, capsys):
    """9.9e11 万元 and 1e300: above the bound (the city's largest target, 1100亿元 = 11,000,000 万元)."""
    year_end = dep.read("2012_1-12月.csv")
    dep.write("2012_1-12月.csv", year_end.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("990000000000"))
        .when(pl.int_range(pl.len()) == 1).then(pl.lit("1e300")).otherwise(pl.col(VALUE)).alias(VALUE)))
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text
    reasons = dep.query("select source_row, reason from dq_quarantine_reasons where source_file = '2012_1-12月.csv' "
                        "and reason_code = 'value_above_bound' order by source_row")
    assert [r for r, _ in reasons] == [2, 3]
    tail = "万元超过单个企业上限 11,000,000 万元（全市最大的产业目标），不可能是一家企业的产值；如经核实无误，请登记到 confirmed_outliers.csv"
    assert reasons[0][1] == f"本年累计产值 990000000000.0 {tail}"
    # 1e300 is also beyond what the marts store exactly (DECIMAL): a confirmation could not admit it
    assert reasons[1][1] == "本年累计产值 1e+300 万元不低于 1e+12 万元，超出数据集市可精确记录的范围，登记为已核实也不能接收"
    # the original text is kept in the quarantine
    raws = [r[0] for r in dep.query("select raw->>'$.\"本年累计产值（万元）\"' from dq_quarantine "
                                     "where source_file = '2012_1-12月.csv' order by source_row")]
    assert raws == ["990000000000", "1e300"]
    assert dep.query("select max(ytd_value_wan) from int_attributed_output")[0][0] < 11_000_000
    accounted_for(dep.batch())


def test_a_confirmed_outlier_publishes(dep, capsys):
    """A genuine 1200亿元 enterprise, confirmed by a statistician in confirmed_outliers.csv, is published;
    the same record with another value is not."""
    year_end = dep.read("2012_1-12月.csv")
    first = year_end.row(0, named=True)
    dep.write("2012_1-12月.csv", year_end.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("12000000")).otherwise(pl.col(VALUE)).alias(VALUE)))
    confirmations = dep.raw / "targets" / "confirmed_outliers.csv"
    with confirmations.open("a", encoding="utf-8") as f:
        f.write(f"2012,1-12月,{first['单位代码']},{first['产业类别']},12000000,经电话核实为集团合并报表,市统计局张三,2013-01-20\n")
    code, text = dep.run(capsys)
    assert code == EXIT_FINDINGS, text  # the sample's 8 rejected rows
    assert dep.query("select count(*) from int_attributed_output where ytd_value_wan = 12000000")[0][0] == 1
    assert dep.query("select count(*) from dq_quarantine_reasons where reason_code = 'value_above_bound'")[0][0] == 0
    assert dep.query("select count(*) from ref_confirmed_outliers")[0][0] == 1
    # the confirmed record is not warned as a unit slip either
    assert dep.query("select count(*) from dq_warnings where warning_code = 'unit_slip'")[0][0] == 0
    # a different value for the same record is not confirmed
    dep.write("2012_1-12月.csv", year_end.with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("12000001")).otherwise(pl.col(VALUE)).alias(VALUE)))
    code, text = dep.run(capsys)
    assert dep.query("select count(*) from dq_quarantine_reasons where reason_code = 'value_above_bound'")[0][0] == 1


# ---------------------------------------------------------------------------------- exit codes
def test_a_clean_delivery_exits_0(tmp_path, capsys):
    from pipelines.sample import generate_sample

    dep = Deployment(tmp_path)
    shutil.rmtree(dep.output)
    generate_sample(dep.output, enterprises=120, bad_rows=False)
    code, text = dep.run(capsys)
    assert code == EXIT_CLEAN, text
    assert "已发布，数据完整无误 / published, clean（退出码 / exit code 0）" in text


# ---------------------------------------------------------------------------------- Dagster
def test_the_dagster_check_blocks_as_the_ui_runs_it(tmp_path):
    """Steps in separate processes hand the batch over as Arrow files (the UI, the daemon): the gate's
    findings travel with it, and the blocking check `publication_gate` fails with the same messages."""
    import dagster as dg

    from pipelines.definitions import defs
    from tests.test_dagster import pipeline_assets, resources_for

    dep = Deployment(tmp_path)
    dep.write("2012_1-12月.csv", dep.read("2012_1-12月.csv").rename({VALUE: "本年累计产值"}))
    with dg.instance_for_test() as instance:
        result = dg.materialize(pipeline_assets(defs(), with_report=False), resources=resources_for(tmp_path, dep.raw),
                                instance=instance, raise_on_error=False)
    assert not result.success
    evaluations = {e.event_specific_data.check_name: e.event_specific_data for e in result.all_events
                   if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    gate = evaluations["publication_gate"]
    assert not gate.passed and gate.severity == dg.AssetCheckSeverity.ERROR
    messages = gate.metadata["messages"].value
    assert any(m.startswith("2012年1-12月：只有修订文件 2012_1-12月_修订.csv 的 7 条记录") for m in messages)
    clean = evaluations["publication_clean"]
    assert not clean.passed and "阻断发布 5 项" in clean.description and "退出码 / exit code 3" in clean.description
    assert not (tmp_path / "marts" / "szei.duckdb").exists()
