"""The plan's facts live in data/raw/targets/ only: a new target year is rows in the CSVs, not code;
and reading them from there leaves the bundled sample's marts and report as they were."""

from __future__ import annotations

import csv
import html
import math
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.plan import load_plan
from pipelines.reference import load_reference
from tests.conftest import ROOT

RAW = ROOT / "data" / "raw"
# a publication of the bundled sample made by main before this change (marts file and report/)
BASELINE = Path(os.environ.get("SZEI_BASELINE_DIR", "/work/baseline"))


def szei_run(raw_dir: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SZEI_NO_QUARTO": "1", "DAGSTER_HOME": str(out / "dagster_home")}
    (out / "dagster_home").mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run", "--raw-dir", str(raw_dir), "--marts", str(out / "szei.duckdb"),
         "--report-dir", str(out / "report"), "--quiet"],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=1800)


def _data_rows(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def add_year(raw: Path, source_year: int, new_year: int, factor: float, growth: float) -> None:
    """Targets of `new_year`: the scale and combined targets of `source_year` × factor, its band
    targets as they were (rows appended to the CSVs, as a statistician would); output files of
    `new_year`: the `source_year` files with the year cell changed and each value × growth (rounded
    to the 0.1 the files hold; the gate refuses a year that repeats the last one exactly)."""
    targets = raw / "targets"
    for name, scaled in (("scale_targets.csv", "target_yi"), ("combined_targets.csv", "target_yi"),
                         ("enterprise_band_targets.csv", None)):
        rows = _data_rows(targets / name)
        header = rows[0].split(",")
        new = []
        for line in rows[1:]:
            cells = line.split(",")
            if cells[header.index("year")] != str(source_year):
                continue
            cells[header.index("year")] = str(new_year)
            if scaled:
                cells[header.index(scaled)] = f"{float(cells[header.index(scaled)]) * factor:g}"
            new.append(",".join(cells))
        with open(targets / name, "a", encoding="utf-8") as f:
            f.write("\n".join(new) + "\n")
    output = raw / "output"
    for src in sorted(output.glob(f"{source_year}_*.csv")):
        dest = output / src.name.replace(str(source_year), str(new_year), 1)
        text = src.read_bytes().decode("utf-8-sig")
        bom = src.read_bytes().startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(text.splitlines()))
        year_col = rows[0].index("统计年度")
        value_col = next(i for i, h in enumerate(rows[0]) if h.startswith("本年累计产值"))
        for row in rows[1:]:
            if len(row) > year_col and row[year_col] == str(source_year):
                row[year_col] = str(new_year)
            if len(row) > value_col and re.fullmatch(r"\d+(\.\d+)?", row[value_col]):
                row[value_col] = f"{float(row[value_col]) * growth:.1f}"
        with open(dest, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def new_year_run(tmp_path_factory):
    """The bundled raw folder with 2013 targets and 2013 deliveries added, run end to end."""
    tmp = tmp_path_factory.mktemp("new_year")
    raw = tmp / "raw"
    shutil.copytree(RAW, raw)
    last = max(load_plan(raw / "targets").years.target_years)
    add_year(raw, last, last + 1, factor=1.25, growth=1.1)
    result = szei_run(raw, tmp)
    return raw, tmp, last, result


def test_a_new_target_year_needs_no_code_change(new_year_run):
    raw, out, last, result = new_year_run
    new = last + 1
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 1: the sample's deliberate bad rows
    assert "Traceback" not in result.stdout + result.stderr
    plan = load_plan(raw / "targets")
    assert plan.years.target_years[-1] == new and plan.years.plan_years[-1] == last  # the plan's own years stay

    targets = load_reference(raw / "targets").scale_targets
    con = duckdb.connect(str(out / "szei.duckdb"), read_only=True)
    att = con.sql(
        "select year, district, industry, actual_yi, target_yi, attainment from mart_attainment "
        "where ytd_months = 12 and year in (?, ?)", params=[last, new]).pl()
    city = att.filter(pl.col("district") == "全市")
    for industry in plan.industries.names:
        row = {r["year"]: r for r in city.filter(pl.col("industry") == industry).iter_rows(named=True)}
        target = targets.filter((pl.col("year") == new) & (pl.col("district") == "全市")
                                & (pl.col("industry") == industry))["target_yi"].item()
        assert row[new]["target_yi"] == pytest.approx(target)
        # the same enterprises 10% larger (to the 0.1万元 of each row) against targets 1.25× as large
        assert row[new]["actual_yi"] == pytest.approx(row[last]["actual_yi"] * 1.1, rel=1e-4)
        assert row[new]["attainment"] == pytest.approx(row[last]["attainment"] * 1.1 / 1.25, rel=1e-4)
    # every target unit of the plan has its new-year attainment
    units = att.filter((pl.col("year") == new) & pl.col("target_yi").is_not_null())["district"].unique().to_list()
    assert set(units) == {*plan.areas.target_units, "全市"}

    bands = con.sql("select * from mart_enterprise_bands where year in (?, ?) order by all", params=[last, new]).pl()
    band_targets = load_reference(raw / "targets").band_targets.filter(pl.col("year") == new)
    got = bands.filter((pl.col("year") == new) & pl.col("target").is_not_null())
    assert got.height == band_targets.height > 0
    assert got.join(band_targets, on=["industry", "band"]).filter(
        pl.col("target") != pl.col("target_floor")).height == 0
    # counted from the record-level view: enterprises whose annual value reaches each band's threshold
    counted = con.sql(
        "with annual as (select industry, unit_code, sum(ytd_value_wan) as v from int_attributed_output "
        "where year = ? and ytd_months = 12 group by all) "
        "select b.industry, b.band, count(a.unit_code) as n from mart_enterprise_bands as b "
        "left join annual as a on a.industry = b.industry and a.v >= b.threshold_yi * 10000 - 1e-6 "
        "where b.year = ? group by all", params=[new, new]).pl()
    both = bands.filter(pl.col("year") == new).join(counted, on=["industry", "band"])
    assert both.height == bands.filter(pl.col("year") == new).height and (both["n"] == both["enterprises"]).all()
    assert (both["enterprises"] > 0).any()
    ranking = con.execute("select count(*) from mart_district_ranking where year = ? and ytd_months = 12",
                          [new]).fetchone()[0]
    assert ranking == len(plan.areas.target_units)
    con.close()

    report = (out / "report" / "report.html").read_text(encoding="utf-8")
    assert f"{new}年{plan.periods.label[plan.periods.year_end]}" in report


def test_the_sample_publishes_what_it_did(tmp_path):
    """Every mart table of the bundled sample equal to the baseline publication (same tables, columns
    and rows; amounts within 1e-9 relative; run metadata aside) and the same report text."""
    if not (BASELINE / "szei.duckdb").is_file():
        pytest.skip(f"no baseline publication at {BASELINE} (set SZEI_BASELINE_DIR)")
    result = szei_run(RAW, tmp_path)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    base = duckdb.connect(str(BASELINE / "szei.duckdb"), read_only=True)
    mine = duckdb.connect(str(tmp_path / "szei.duckdb"), read_only=True)
    tables = "select table_name from information_schema.tables order by 1"
    base_tables = [r[0] for r in base.execute(tables).fetchall()]
    mine_tables = [r[0] for r in mine.execute(tables).fetchall()]
    # the plan's new dictionaries are the only tables added
    assert set(mine_tables) - set(base_tables) == {"ref_bands", "ref_periods", "ref_plan_years"}
    assert set(base_tables) <= set(mine_tables)
    run_metadata = {"meta_run": {"run_id", "built_at"}, "mart_provenance": {"run_id", "loaded_at"},
                    # sentences replaced by codes on purpose after the baseline was made (CHANGELOG: presentation
                    # text out of the marts); the report's text, compared below, shows they read the same
                    "mart_district_ranking": {"method"}, "mart_ranking_method": {"status_note"}}
    for table in base_tables:
        columns = [r[0] for r in base.execute(f"describe {table}").fetchall()]
        assert [r[0] for r in mine.execute(f"describe {table}").fetchall()] == columns, table
        kept = [c for c in columns if c not in run_metadata.get(table, set())]
        quoted = ", ".join('"' + c + '"' for c in kept)  # some columns are keywords ("column")
        query = f"select {quoted} from {table} order by all"
        a, b = base.execute(query).fetchall(), mine.execute(query).fetchall()
        assert len(a) == len(b), table
        for x, y in zip(a, b):
            assert all(_same(u, v) for u, v in zip(x, y)), (table, x, y)
    assert _report_text(tmp_path / "report" / "report.html") == _report_text(BASELINE / "report" / "report.html")


def _same(u, v) -> bool:
    if isinstance(u, float) and isinstance(v, float):
        return u == v or (math.isnan(u) and math.isnan(v)) or abs(u - v) <= 1e-9 * max(abs(u), abs(v))
    return u == v


def _report_text(path: Path) -> list[str]:
    """The report's visible text, line by line, without the run's id and build time."""
    s = re.sub(r"<(script|style)\b.*?</\1>", "", path.read_text(encoding="utf-8"), flags=re.S)
    s = re.sub(r"<[^>]+>", " ", s)
    s = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "RUN", s)
    s = re.sub(r"生成于 \d{4}-\d\d-\d\d \d\d:\d\d", "生成于 TIME", s)
    return [line for line in (" ".join(html.unescape(x).split()) for x in s.splitlines()) if line]


def _append(path: Path, line: str) -> int:
    """Append a data row; return its line number in the file."""
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n" + line + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.splitlines())


def test_a_band_the_bands_file_does_not_hold_is_refused_with_its_line(targets_copy):
    from pipelines.errors import ReferenceDataError

    line = _append(targets_copy / "enterprise_band_targets.csv", "2012,生物,超千亿元,1000,1,1,达到,年产值,一（二）")
    with pytest.raises(ReferenceDataError) as err:
        load_reference(targets_copy)
    assert f"enterprise_band_targets.csv 第 {line} 行" in str(err.value) and "bands.csv" in str(err.value)


def test_band_targets_of_a_year_without_scale_targets_are_refused(targets_copy):
    from pipelines.errors import ReferenceDataError

    year = max(load_plan(targets_copy).years.target_years) + 1
    line = _append(targets_copy / "enterprise_band_targets.csv", f"{year},生物,超亿元,1,1,1,达到,年产值,一（二）")
    with pytest.raises(ReferenceDataError) as err:
        load_reference(targets_copy)
    assert f"第 {line} 行" in str(err.value) and f"值 {year}" in str(err.value)


def test_the_plan_is_what_the_files_say(targets_copy):
    """A band renamed and an industry's English name changed in the CSVs reach the plan unchanged."""
    bands = (targets_copy / "bands.csv").read_text(encoding="utf-8")
    plan = load_plan(targets_copy)
    first = plan.bands.names[0]
    (targets_copy / "bands.csv").write_text(bands.replace(f"{first},", f"{first}X,"), encoding="utf-8")
    band_targets = (targets_copy / "enterprise_band_targets.csv").read_text(encoding="utf-8")
    (targets_copy / "enterprise_band_targets.csv").write_text(band_targets.replace(f",{first},", f",{first}X,"),
                                                             encoding="utf-8")
    renamed = load_plan(targets_copy)
    assert renamed.bands.names[0] == f"{first}X"
    assert renamed.bands.threshold_yi[f"{first}X"] == plan.bands.threshold_yi[first]
