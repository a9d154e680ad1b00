"""Ingest + validation of the bureau's output files (contract: /work/shared/spec/raw-output-contract.md)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandera.errors
import polars as pl
import pytest
import xlsxwriter

from pipelines.reference import load_reference
from pipelines.validation import list_output_files, validate_output_files
from pipelines.validation.checkcodes import org_code_check_char, uscc_check_char
from pipelines.validation.schemas import accepted_schema

ROOT = Path(__file__).resolve().parents[1]
HEADER = ["统计年度", "累计期", "单位代码", "单位名称", "产业类别", "注册地", "产值发生地", "本年累计产值（万元）"]
REAL = "91440300708461136T"


@pytest.fixture(scope="module")
def ref():
    return load_reference(ROOT / "data" / "raw" / "targets")


def uscc(n: int) -> str:
    body = f"91440300{n:09d}"
    return body + pl.select(uscc_check_char(pl.lit(body))).item()


def org(n: int) -> str:
    body = f"{n:08d}"
    return body + pl.select(org_code_check_char(pl.lit(body))).item()


def row(year="2012", period="1-3月", code=REAL, name="甲公司", ind="生物", reg="南山区", out="南山区", val="100"):
    return [year, period, code, name, ind, reg, out, val]


def write_csv(path: Path, rows, header=HEADER, encoding="utf-8") -> Path:
    text = "\n".join(",".join("" if v is None else str(v) for v in r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(path: Path, rows, header=HEADER, sheet="数据", other_first=True) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    if other_first:
        wb.add_worksheet("说明").write_row(0, 0, ["这是说明页"])
    ws = wb.add_worksheet(sheet)
    for i, r in enumerate([header, *rows]):
        ws.write_row(i, 0, r)
    wb.close()
    return path


def run(ref, *paths):
    batch = validate_output_files(list(paths), ref)
    fs = batch.file_summary
    # row accounting holds for every file
    assert (fs["rows_read"] == fs["rows_accepted"] + fs["rows_rejected"]).all(), fs
    for name, rej in fs.select("source_file", "rows_rejected").iter_rows():
        assert batch.quarantine.filter(pl.col("source_file") == name).height == rej
    return batch


def codes_of(batch, source_row: int, file: str | None = None) -> set[str]:
    q = batch.quarantine_reasons.filter(pl.col("source_row") == source_row)
    if file:
        q = q.filter(pl.col("source_file") == file)
    return set(q["reason_code"])


# ------------------------------------------------------------------------- reading


def test_codes_helpers_are_valid():
    assert pl.select(uscc_check_char(pl.lit(REAL[:17]))).item() == REAL[17]
    assert len(uscc(5)) == 18 and len(org(5)) == 9


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings_are_detected(ref, tmp_path, encoding):
    p = write_csv(tmp_path / "a.csv", [row(name="深圳市南山区甲生物有限公司")], encoding=encoding)
    b = run(ref, p)
    assert b.accepted["unit_name"].to_list() == ["深圳市南山区甲生物有限公司"]
    expected = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gbk", "gb18030": "gbk"}[encoding]
    assert b.file_summary["encoding"].item() == expected


def test_xlsx_with_data_sheet_and_without(ref, tmp_path):
    a = write_xlsx(tmp_path / "a.xlsx", [row(val=100)], sheet="数据", other_first=True)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(HEADER)
    ws.append(row(code=uscc(7), val=55.5, year=2012))
    wb.save(tmp_path / "b.xlsx")
    b = run(ref, a, tmp_path / "b.xlsx")
    assert b.file_summary["sheet"].to_list() == ["数据", "Sheet1"]
    assert sorted(b.accepted["ytd_value_wan"].to_list()) == [55.5, 100.0]
    assert b.accepted["year"].to_list() == [2012, 2012]


@pytest.mark.parametrize(("unit", "value", "wan"), [("万元", "100", 100.0), ("千元", "1000", 100.0),
                                                     ("元", "1000000", 100.0), ("亿元", "0.01", 100.0)])
def test_value_units_are_converted(ref, tmp_path, unit, value, wan):
    header = [*HEADER[:-1], f"本年累计产值({unit})"]
    b = run(ref, write_csv(tmp_path / "a.csv", [row(val=value)], header=header))
    assert b.accepted["ytd_value_wan"].item() == pytest.approx(wan)
    assert b.file_summary["value_unit"].item() == unit


def test_english_aliases(ref, tmp_path):
    header = ["year", "period", "unit_code", "unit_name", "industry", "reg_district", "output_district", "ytd_value_qian"]
    b = run(ref, write_csv(tmp_path / "a.csv", [row(val="50")], header=header))
    assert b.accepted["ytd_value_wan"].item() == pytest.approx(5.0)


def test_value_header_without_unit_rejects_file(ref, tmp_path):
    header = [*HEADER[:-1], "本年累计产值"]
    b = run(ref, write_csv(tmp_path / "a.csv", [row(), row(period="1-6月")], header=header))
    fs = b.file_summary.row(0, named=True)
    assert "本年累计产值" in fs["file_error"] and "a.csv" in fs["file_error"]
    assert fs["rows_read"] == 2 and fs["rows_rejected"] == 2 and b.accepted.height == 0
    assert set(b.quarantine_reasons["reason_code"]) == {"file_error"}


def test_missing_value_column(ref, tmp_path):
    b = run(ref, write_csv(tmp_path / "a.csv", [r[:-1] for r in [row()]], header=HEADER[:-1]))
    fs = b.file_summary.row(0, named=True)
    assert "缺少必需列" in fs["file_error"] and "本年累计产值" in fs["file_error"]
    assert fs["rows_read"] == fs["rows_rejected"] == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("a.csv", b"hello world\nthis is a note\n"), ("b.csv", b""), ("c.csv", b"\x00\x01\x02binary\x00"),
     ("d.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64), ("e.xlsx", b"not a zip")],
)
def test_unreadable_files_are_reported_not_raised(ref, tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    b = run(ref, tmp_path / name)
    fs = b.file_summary.row(0, named=True)
    assert fs["file_error"] and name in fs["file_error"] and fs["file_error_en"]
    assert fs["rows_read"] == 0 and b.accepted.height == 0


def test_raw_files_are_not_modified(ref, tmp_path):
    p = write_csv(tmp_path / "a.csv", [row(), row(val="x")])
    before = (p.read_bytes(), p.stat().st_mtime_ns)
    b = run(ref, p)
    assert (p.read_bytes(), p.stat().st_mtime_ns) == before
    import hashlib

    assert b.file_summary["sha256"].item() == hashlib.sha256(before[0]).hexdigest()


def test_list_output_files(tmp_path):
    for n in ["b.CSV", "a.xlsx", "c.xls", "note.txt", "~$a.xlsx", "2012_1-12月_修订.csv"]:
        (tmp_path / n).write_bytes(b"x")
    # base files by name, then revisions; note.txt is read (a text table, or rejected with the cause)
    assert [p.name for p in list_output_files(tmp_path)] == ["a.xlsx", "b.CSV", "c.xls", "note.txt", "2012_1-12月_修订.csv"]


# ------------------------------------------------------------------------- normalisation


def test_normalisations_are_recorded(ref, tmp_path):
    rows = [row(period="１—３月", reg="南山 ", out="光明", name=" 甲公司 ", code="9144 0300-708461136t")]
    b = run(ref, write_csv(tmp_path / "a.csv", rows))
    a = b.accepted.row(0, named=True)
    assert (a["period_label"], a["ytd_months"], a["reg_district"], a["output_district"], a["unit_name"], a["unit_code"]) == (
        "1-3月", 3, "南山区", "光明新区", "甲公司", REAL)
    for part in ("累计期", "注册地", "产值发生地", "单位名称", "单位代码"):
        assert part in a["normalized"]


@pytest.mark.parametrize("period", ["1~3月", "1～3月", "1–3月", "1－3月", "1-3月"])
def test_dash_variants(ref, tmp_path, period):
    b = run(ref, write_csv(tmp_path / "a.csv", [row(period=period)]))
    assert b.accepted["period_label"].to_list() == ["1-3月"]


# ------------------------------------------------------------------------- rules: failing and passing

CASES = [
    # (reason code, failing row, passing row)
    ("year_missing", row(year=""), row()),
    ("year_invalid", row(year="12"), row(year="2011")),
    ("year_invalid", row(year="二〇一二"), row(year="２０１２")),
    ("year_out_of_range", row(year="2099"), row(year="2009")),
    ("year_out_of_range", row(year="1970"), row(year="2013")),
    ("period_missing", row(period=""), row(period="1-12月")),
    ("period_invalid", row(period="1-4月"), row(period="1-9月")),
    ("code_missing", row(code=""), row(code=uscc(1))),
    ("code_format", row(code="12345"), row(code=org(12345678))),
    ("code_check", row(code=REAL[:-1] + "X"), row(code=REAL)),
    ("code_check", row(code=org(1234)[:-1] + ("1" if org(1234)[-1] != "1" else "2")), row(code=org(1234)[:8] + "-" + org(1234)[8])),
    ("name_missing", row(name=" "), row(name="乙")),
    ("industry_missing", row(ind=""), row(ind="新能源")),
    ("industry_unknown", row(ind="化工"), row(ind="互联网")),
    ("reg_district_missing", row(reg=""), row(reg="福田")),
    ("reg_district_unknown", row(reg="东莞"), row(reg="坪山")),
    ("output_district_missing", row(ind="生物", out=""), row(ind="互联网", out="")),
    ("output_district_unknown", row(ind="新能源", out="火星"), row(ind="新能源", out="大鹏新区")),
    ("value_missing", row(val=""), row(val="0")),
    ("value_invalid", row(val="12a"), row(val="\"1,234.5\"")),  # quoted: an unquoted comma is an extra field
    ("value_negative", row(val="-1"), row(val="0.5")),
    # numbers DuckDB's cast would take and the contract does not (parsing.as_number); Unicode spaces and digits
    ("value_invalid", row(val="1_000"), row(val="1e3")),
    ("value_invalid", row(val="inf"), row(val="+.5")),
    ("value_invalid", row(val="12\x0b"), row(val="12\u3000")),
    ("period_invalid", row(period="1-3\u2003季"), row(period="1\u2003-\u20033")),
    ("year_invalid", row(year="\u0662\u0660\u0661\u0662"), row(year="2012.0")),
]


@pytest.mark.parametrize(("code", "bad", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule_failing_and_passing(ref, tmp_path, code, bad, good):
    b = run(ref, write_csv(tmp_path / "bad.csv", [bad]))
    assert code in codes_of(b, 2), b.quarantine_reasons
    q = b.quarantine.row(0, named=True)
    assert q["source_row"] == 2 and q["reasons"] and q["reasons_en"] and q["columns"]
    assert json.loads(q["raw"])["单位代码"] == (bad[2] or None)
    g = run(ref, write_csv(tmp_path / "good.csv", [good]))
    assert g.accepted.height == 1 and g.quarantine.height == 0, g.quarantine
    accepted_schema(ref).validate(g.accepted)


@pytest.mark.parametrize("as_held", [True, False], ids=["categorical", "string"])
def test_accepted_schema_catches_a_bad_record(ref, tmp_path, as_held):
    """The post-condition on accepted records fails on a record that should never have got through,
    whether the text columns are held as Categorical (the pipeline) or String (`accepted`)."""
    good = run(ref, write_csv(tmp_path / "a.csv", [row(), row(code=org(1234), ind="互联网")]))
    frame = good.records if as_held else good.accepted
    wrong_check = REAL[:-1] + ("0" if REAL[-1] != "0" else "1")
    # the text checks run once per distinct value when held as Categorical: each must still land on its row
    for column, bad in (("unit_code", "91440300-708461136T"), ("unit_code", wrong_check), ("unit_name", ""),
                        ("reg_district", "东莞市"), ("output_district", "火星"), ("period_label", "1-6月")):
        values = frame[column].cast(pl.String).to_list()
        values[1] = bad
        broken = frame.with_columns(pl.Series(column, values).cast(frame.schema[column]))
        with pytest.raises(pandera.errors.SchemaErrors) as err:
            accepted_schema(ref).validate(broken, lazy=True)
        assert set(err.value.failure_cases["index"].to_list()) == {1}, err.value.failure_cases
    # a 生物 record (counted where the output occurs) with no output district
    bio_without_district = frame.with_columns(
        pl.Series("industry", ["生物", "生物"]).cast(frame.schema["industry"]),
        pl.Series("output_district", ["南山区", None]).cast(frame.schema["output_district"]))
    with pytest.raises(pandera.errors.SchemaErrors) as err:
        accepted_schema(ref).validate(bio_without_district, lazy=True)
    assert set(err.value.failure_cases["index"].to_list()) == {1}, err.value.failure_cases
    accepted_schema(ref).validate(frame, lazy=True)


def test_rejected_row_carries_every_reason(ref, tmp_path):
    rows = [row(), row(year="2099", period="Q1", code="abc", name="", ind="化工", reg="东莞", out="", val="-3")]
    b = run(ref, write_csv(tmp_path / "a.csv", rows))
    assert codes_of(b, 3) == {"year_out_of_range", "period_invalid", "code_format", "name_missing",
                              "industry_unknown", "reg_district_unknown", "value_negative"}
    q = b.quarantine.row(0, named=True)
    assert q["reasons"].count("；") == 6 and q["source_row"] == 3
    assert {"统计年度", "累计期", "单位代码", "单位名称", "产业类别", "注册地", "本年累计产值（万元）"} == set(q["columns"].split(","))
    assert json.loads(q["raw"])["累计期"] == "Q1"


def test_row_numbers_count_blank_lines(ref, tmp_path):
    p = tmp_path / "a.csv"
    p.write_text(",".join(HEADER) + "\n" + ",".join(row()) + "\n\n" + ",".join(row(period="1-6月", val="x")) + "\n")
    b = run(ref, p)
    assert b.quarantine["source_row"].to_list() == [4]
    assert b.file_summary["rows_blank"].item() == 1


def test_allowlisted_code_passes(tmp_path, ref):
    import dataclasses

    bad = REAL[:-1] + "X"
    allow = pl.DataFrame({"unit_code": [bad], "reason": ["试点"], "approved_by": ["统计局"], "approved_on": ["2012-01-01"]})
    ref2 = dataclasses.replace(ref, unit_code_allowlist=allow)
    b = run(ref2, write_csv(tmp_path / "a.csv", [row(code=bad)]))
    assert b.accepted.height == 1
    accepted_schema(ref2).validate(b.accepted)


# ------------------------------------------------------------------------- duplicates and revisions


def test_exact_and_conflicting_duplicates_within_a_file(ref, tmp_path):
    rows = [row(), row(), row(), row(period="1-6月", val="1"), row(period="1-6月", val="2")]
    b = run(ref, write_csv(tmp_path / "a.csv", rows))
    assert b.accepted["source_row"].to_list() == [2]
    assert codes_of(b, 3) == {"duplicate_exact"} and codes_of(b, 4) == {"duplicate_exact"}
    assert codes_of(b, 5) == {"duplicate_conflict"} and codes_of(b, 6) == {"duplicate_conflict"}


def test_duplicates_across_two_files(ref, tmp_path):
    a = write_csv(tmp_path / "a.csv", [row(), row(period="1-6月", val="10")])
    # same key and value (in 千元 = same 万元), and a conflicting value
    b_ = write_csv(tmp_path / "b.csv", [row(val="1000"), row(period="1-6月", val="110")],
                   header=[*HEADER[:-1], "本年累计产值（千元）"])
    b = run(ref, a, b_)
    assert b.accepted.select("source_file", "source_row").rows() == [("a.csv", 2)]
    assert codes_of(b, 2, "b.csv") == {"duplicate_exact"}
    assert codes_of(b, 3, "a.csv") == {"duplicate_conflict"} and codes_of(b, 3, "b.csv") == {"duplicate_conflict"}


def test_revision_replaces_only_its_keys(ref, tmp_path):
    base = write_csv(tmp_path / "2012_1-12月.csv", [row(), row(code=uscc(2), val="7")])
    rev1 = write_csv(tmp_path / "2012_1-12月_修订.csv", [row(val="150")])
    rev2 = write_csv(tmp_path / "2012_1-12月_修订2.csv", [row(val="160")])
    b = run(ref, rev2, base, rev1)
    acc = b.accepted.sort("unit_code")
    assert acc.select("unit_code", "ytd_value_wan", "source_file").rows() == [
        (uscc(2), 7.0, "2012_1-12月.csv"), (REAL, 160.0, "2012_1-12月_修订2.csv")]
    assert b.replaced.select("source_file", "replaced_by_file").sort("source_file").rows() == [
        ("2012_1-12月.csv", "2012_1-12月_修订.csv"), ("2012_1-12月_修订.csv", "2012_1-12月_修订2.csv")]
    assert b.quarantine.height == 0
    fs = {r["source_file"]: r for r in b.file_summary.iter_rows(named=True)}
    assert fs["2012_1-12月.csv"]["rows_replaced"] == 1 and fs["2012_1-12月_修订.csv"]["is_revision"]


# ------------------------------------------------------------------------- warnings


def test_warnings_keep_rows(ref, tmp_path):
    rows = [
        row(period="1-3月", val="100"), row(period="1-6月", val="90"),  # YTD falls
        row(period="1-9月", val="900"),  # 10× jump
        row(period="1-12月", val="950"),  # fine
        row(year="2011", reg="龙华", out="大鹏", val="5"),  # new areas before 2012
        row(year="2012", reg="龙华", out="大鹏", val="5", code=uscc(3)),  # fine in 2012
    ]
    b = run(ref, write_csv(tmp_path / "a.csv", rows))
    assert b.accepted.height == 6 and b.quarantine.height == 0
    w = b.warnings.select("source_row", "warning_code").rows()
    assert (3, "ytd_decrease") in w and (4, "unit_slip") in w
    assert [r for r in w if r[0] in (2, 5, 7)] == []
    assert sorted(c for r, c in w if r == 6) == ["new_area_before_valid", "new_area_before_valid"]
    assert b.accepted.filter(pl.col("source_row") == 6)["target_unit"].item() == "龙岗区"
    assert b.file_summary["rows_warned"].item() == 3


def test_messages_give_the_expected_check_character_and_the_valid_districts(ref, tmp_path):
    wrong = REAL[:-1] + "X"  # REAL ends in T
    b = run(ref, write_csv(tmp_path / "a.csv", [row(code=wrong), row(reg="东莞")]))
    reasons = {r["reason_code"]: r for r in b.quarantine_reasons.iter_rows(named=True)}
    check = reasons["code_check"]
    assert "末位应为「T」，实为「X」" in check["reason"] and "should end in 'T', not 'X'" in check["reason_en"]
    unknown = reasons["reg_district_unknown"]
    names = ref.districts["district"].to_list()
    assert "「东莞」" in unknown["reason"] and all(n in unknown["reason"] for n in names)
    assert "valid: " + "、".join(names) in unknown["reason_en"]


# ------------------------------------------------------------------------- parsing only the cells that need it

FULLWIDTH = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ")
# (field, cell) of cells that need trimming or normalising (or are rejected), each on a row of its own code
MESSY = [
    ("name", " 乙公司\u3000"), ("name", "\t丙公司"), ("name", ""), ("name", "\xa0"),
    ("code", "lower"), ("code", "dash"), ("code", "space"), ("code", "fullwidth"), ("code", ""), ("code", "check"),
    ("val", " 100"), ("val", "１２３"), ("val", '"1,234.5"'), ("val", "4．5"), ("val", '"12,34"'), ("val", "abc"),
    ("val", "\xa0"), ("val", "７，０００"),
]


def messy_row(i: int, case: int) -> list[str]:
    field, cell = MESSY[case]
    code = uscc(5000 + i)
    codes = {"lower": code.lower(), "dash": code[:8] + "-" + code[8:], "space": " " + code + " ",
             "fullwidth": code.translate(FULLWIDTH), "": "", "check": code[:-1] + ("0" if code[-1] != "0" else "1")}
    if field == "name":
        return row(code=code, name=cell)
    if field == "code":
        return row(code=codes[cell], name=f"公司{i}")
    return row(code=code, name=f"公司{i}", val=cell)


def outcome(batch, source_row: int) -> tuple:
    """What became of one row: its accepted values, or its reasons and raw cells."""
    acc = batch.accepted.filter(pl.col("source_row") == source_row)
    if acc.height:
        return ("accepted",) + acc.select("unit_code", "unit_name", "ytd_value_wan", "normalized").row(0)
    q = batch.quarantine.filter(pl.col("source_row") == source_row)
    return ("rejected",) + q.select("reasons", "reasons_en", "columns", "reason_codes", "raw").row(0)


@pytest.mark.parametrize("messy_share", [1, 6], ids=["few-messy-cells", "most-cells-messy"])
def test_cells_needing_work_parse_the_same_among_plain_ones(ref, tmp_path, messy_share):
    """Only the cells that fail a plain pattern are trimmed and normalised (normalise.where_needed): among
    plain rows (few need it: gathered and scattered back) and among messy ones (most need it: every
    row parsed), each row comes out exactly as it does alone in a file."""
    alone = {}
    for case in range(len(MESSY)):
        b = run(ref, write_csv(tmp_path / f"alone{case}.csv", [messy_row(case, case)]))
        alone[case] = outcome(b, 2)
    # by hand: what some of them must be
    assert alone[0][2:] == ("乙公司", 100.0, "单位名称去除首尾空格")
    assert alone[2][4] == "name_missing" and alone[9][4] == "code_check" and alone[16][4] == "value_missing"
    assert alone[4][1] == uscc(5004) and "单位代码「" in alone[4][4]
    assert alone[12][3] == 1234.5 and alone[14][4] == "value_invalid" and alone[17][3] == 7000.0

    rows, where = [], {}
    for i in range(7 * 3 * len(MESSY)):
        if i % 7 < messy_share:
            case = (i // 7) % len(MESSY)
            rows.append(messy_row(case, case) if case not in where.values() else messy_row(10_000 + i, case))
            where[i] = case
        else:
            rows.append(row(code=uscc(i), name=f"公司{i}", val=f"{i + 1}"))
    b = run(ref, write_csv(tmp_path / "mixed.csv", rows))
    for i, case in where.items():
        got = outcome(b, i + 2)
        if i == min(k for k, c in where.items() if c == case):  # the very row validated alone
            assert got == alone[case], MESSY[case]
        else:  # the same cell on another enterprise's row: the same outcome, but for its code and name
            assert got[0] == alone[case][0] and (got[0] == "accepted" or got[4] == alone[case][4]), MESSY[case]
    plain = b.accepted.filter(~pl.col("source_row").is_in([i + 2 for i in where]))
    assert plain.height == len(rows) - len(where)
    assert plain["normalized"].is_null().all()
    assert (plain["unit_name"] == "公司" + (plain["source_row"] - 2).cast(pl.String)).all()
    assert (plain["ytd_value_wan"] == (plain["source_row"] - 1).cast(pl.Float64)).all()
