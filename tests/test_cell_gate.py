"""The gate where the numbers are published (pipelines/validation/cell_gate.py): deliveries that pass the
file-level checks but would publish a wrong district × industry cell are blocked. Each case is one the
independent corpus of bad deliveries found published with wrong numbers."""

from __future__ import annotations

import polars as pl

from tests.test_publication_gate import VALUE, Deployment, accounted_for, blocked, dep, published  # noqa: F401

REG, IND = "注册地", "产业类别"
YEAR_FILES = ("2012_1-3月.csv", "2012_1-6月.csv", "2012_1-9月.csv", "2012_1-12月.csv")


def _scaled(frame: pl.DataFrame, factor: int, where: pl.Expr | None = None) -> pl.DataFrame:
    number = pl.col(VALUE).cast(pl.Float64, strict=False)  # the sample's injected bad values stay as they are
    scaled = (number * factor).round(4).cast(pl.String)
    hit = number.is_not_null() if where is None else number.is_not_null() & where
    return frame.with_columns(pl.when(hit).then(scaled).otherwise(pl.col(VALUE)).alias(VALUE))


def test_one_districts_rows_keyed_in_yuan_inside_a_correct_file_block(published, capsys):
    """南山区's internet rows of the annual file in 元 under the 万元 header: the file's median is fine."""
    dep = published
    rows = (pl.col(REG) == "南山区") & (pl.col(IND) == "互联网")
    dep.write("2012_1-12月.csv", _scaled(dep.read("2012_1-12月.csv"), 10_000, rows))
    text = blocked(dep, capsys)
    assert "2012年1-12月：南山区互联网产业有" in text and "可能是计量单位错误" in text
    accounted_for(dep.batch())


def test_a_whole_year_keyed_in_qianyuan_blocks_against_last_year(published, capsys):
    """Every 2012 file ×10: the files agree with each other, the year does not agree with 2011."""
    dep = published
    for name in YEAR_FILES:
        dep.write(name, _scaled(dep.read(name), 10))
    text = blocked(dep, capsys)
    assert "是上年同期" in text and "不是可信的增减" in text
    codes = set(dep.batch().gate.filter(pl.col("blocking"))["check_code"])
    assert "cell_value_jump" in codes
    accounted_for(dep.batch())


def test_a_districts_rows_lost_from_the_annual_file_block(published, capsys):
    """南山区's internet rows missing from the annual file: the cell's year-to-date total would fall."""
    dep = published
    rows = (pl.col(REG) == "南山区") & (pl.col(IND) == "互联网")
    dep.write("2012_1-12月.csv", dep.read("2012_1-12月.csv").filter(~rows))
    text = blocked(dep, capsys)
    assert "2012年1-12月：南山区互联网产业本年累计 0.0 亿元，不到同年上一累计期 2012年1-9月" in text
    assert "cell_value_collapse" in set(dep.batch().gate["check_code"])
    accounted_for(dep.batch())


def test_the_sample_passes_the_cell_gate(dep):
    assert dep.batch().gate.filter(pl.col("blocking")).height == 0


def test_findings_tied_on_period_file_and_check_come_out_in_one_order():
    """One finding per district × industry cell shares period, file and check with the others: the gate's
    order must not depend on the order the findings were made in (polars' sort is not stable), or the
    same delivery publishes its findings in a different order at each run."""
    from pipelines.validation.gate import GATE_SCHEMA, sort_findings

    cells = [f"{d}{i}" for d in ("南山区", "福田区", "宝安区", "龙岗区") for i in ("生物", "互联网", "新能源")]
    findings = pl.DataFrame({
        "check_code": ["cell_collapse"] * len(cells), "blocking": [True] * len(cells),
        "year": [2012] * len(cells), "ytd_months": [9] * len(cells), "source_file": ["2012_1-9月.csv"] * len(cells),
        "message": [f"2012年1-9月：{c}产业骤降" for c in cells], "message_en": [f"2012 1-9: {c} collapsed" for c in cells],
    }, schema=GATE_SCHEMA)
    orders = {tuple(sort_findings(findings.sample(fraction=1.0, shuffle=True, seed=s))["message"]) for s in range(8)}
    assert len(orders) == 1
    assert list(next(iter(orders))) == sorted(findings["message"])
