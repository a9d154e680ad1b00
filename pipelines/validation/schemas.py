"""The contract of an accepted record: the pandera (polars) schema every run checks its result against.

`AcceptedOutputRecord` + `accepted_schema(reference)` state what may enter the marts; `check_accepted`
runs it at the end of every validation — `szei run` and `szei validate` alike (a collected DataFrame, so
the custom checks really run — pandera#1566). A failure there is a bug in the pipeline, not bad data.

Why a row's reasons for rejection are not pandera failure cases: pandera reports failure cases per
check and per column, with extra passes; at 1M+ rows that dominates the run. The row rules are named
polars expressions (`rules.py`) evaluated in one pass, every reason of every row; this schema states
the result they must produce.
"""

from __future__ import annotations

import copy

import pandera.errors
import pandera.polars as pa
import polars as pl

from pipelines.plan import Plan
from pipelines.reference import Reference
from pipelines.validation.checkcodes import code_format_ok, unit_code_is_valid
from pipelines.validation.keys import COUNTING_KEY, counted_od, duplicated, int_key
from pipelines.validation.vocabulary import YEAR_MAX, YEAR_MIN, Context


def _with_checks(schema: pa.DataFrameSchema, checks: list[pa.Check]) -> pa.DataFrameSchema:
    schema = copy.deepcopy(schema)
    schema.checks = [*schema.checks, *checks]
    return schema


class AcceptedOutputRecord(pa.DataFrameModel):
    """Records that enter the marts: de-duplicated, revisions applied, every rule passed.

    The text columns that repeat across rows (files, periods, codes, names, industries, districts)
    are text: `String`, or `Categorical` as the pipeline holds them internally (each distinct value
    once; `OutputBatch.accepted` gives them as String). `accepted_schema` accepts either. Checks on
    their text run once per distinct value and are mapped back to every row (`_per_distinct`), so
    every row is still checked.
    """

    source_file: pl.Categorical
    source_row: pl.Int32 = pa.Field(ge=2)
    year: pl.Int32 = pa.Field(ge=YEAR_MIN, le=YEAR_MAX)
    ytd_months: pl.Int32  # isin the run's periods: `_plan_checks`
    period_label: pl.Categorical
    unit_code: pl.Categorical
    unit_name: pl.Categorical
    industry: pl.Categorical  # isin the run's industries: `_plan_checks`
    reg_district: pl.Categorical
    output_district: pl.Categorical = pa.Field(nullable=True)
    ytd_value_wan: float = pa.Field(ge=0)
    normalized: str = pa.Field(nullable=True)
    target_unit: pl.Categorical

    class Config:
        strict = False

    @pa.dataframe_check
    def unit_code_is_normalised(cls, data) -> pl.LazyFrame:
        """Upper case letters and digits only (no '-', spaces, full-width characters)."""
        return _per_distinct(data.lazyframe, "unit_code", pl.col("unit_code").str.contains(r"^[0-9A-Z]+$"))

    @pa.dataframe_check
    def unit_name_not_empty(cls, data) -> pl.LazyFrame:
        return _per_distinct(data.lazyframe, "unit_name", pl.col("unit_name").str.len_chars() >= 1)



def _plan_checks(plan: Plan) -> tuple[dict[str, dict], list[pa.Check]]:
    """What the run's plan (its own targets/, never the bundled one) fixes: its periods and industries
    (column checks), the industries counted where the output occurs, each period's months."""
    months = plan.periods.months
    output_industries = list(plan.industries.counted_where_output)

    def bio_has_output_district(data) -> pl.LazyFrame:
        """Industries counted where the output occurs (生物) need output_district."""
        counted = per_value(data.lazyframe, "industry", pl.col("industry").is_in(output_industries))
        return data.lazyframe.select(~counted | pl.col("output_district").is_not_null())

    def period_matches_months(data) -> pl.LazyFrame:
        # a label outside the run's periods fails the check, never raises
        of_label = pl.col("period_label").replace_strict(months, default=None, return_dtype=pl.Int32)
        return data.lazyframe.select((per_value(data.lazyframe, "period_label", of_label) == pl.col("ytd_months")).fill_null(False))

    columns = {
        "ytd_months": {"checks": [pa.Check.isin(list(months.values()))]},
        "period_label": {"checks": [pa.Check.isin(list(months))]},
        "industry": {"checks": [pa.Check.isin(list(plan.industries.names))]},
    }
    return columns, [pa.Check(bio_has_output_district, name="bio_has_output_district"),
                     pa.Check(period_matches_months, name="period_matches_months")]


def accepted_schema(reference: Reference) -> pa.DataFrameSchema:
    """AcceptedOutputRecord + the checks that depend on the run's reference data: its plan (periods,
    industries), districts, check character / allow-list."""
    ctx = Context.from_reference(reference)
    plan_columns, plan_checks = _plan_checks(ctx.plan)
    allow = pl.Series(ctx.allowlist, dtype=pl.String)
    districts = pl.Series(ctx.districts, dtype=pl.String)
    checks = [
        *plan_checks,
        pa.Check(
            lambda data: _per_distinct(
                data.lazyframe, "unit_code",
                (code_format_ok(pl.col("unit_code")) & unit_code_is_valid(pl.col("unit_code")))
                | pl.col("unit_code").is_in(allow.implode()),
            ),
            name="unit_code_check_character",
            error="单位代码校验位正确或在豁免名单中 / valid check character or allow-listed",
        ),
        pa.Check(
            lambda data: data.lazyframe.select(
                per_value(data.lazyframe, "reg_district", pl.col("reg_district").is_in(districts.implode()))
                & (pl.col("output_district").is_null() | per_value(
                    data.lazyframe, "output_district", pl.col("output_district").is_in(districts.implode())))
            ),
            name="districts_in_dictionary",
            error="区划在字典中 / districts are in the dictionary",
        ),
    ]
    # one record per key as counted (keys.COUNTING_KEY): for 互联网/新能源 产值发生地 does not tell records apart
    od = counted_od(ctx.counted_output_district(), fill=None)
    checks.append(pa.Check(
        lambda data: _key_is_unique(data.lazyframe.with_columns(od)),
        name="counting_key_is_unique",
        error="按统计口径的记录键唯一（统计年度、累计期、单位代码、产业类别，按产值发生地统计的产业另加产值发生地）/ "
              "one record per counting key",
    ))
    schema = AcceptedOutputRecord.to_schema().update_columns(plan_columns)
    # text columns: String or Categorical (the same values); the dtype is checked by `text_columns`
    schema = schema.update_columns({c: {"dtype": None} for c in _CATEGORICAL})
    checks.append(pa.Check(
        lambda data: data.lazyframe.select(
            pl.lit(all(data.lazyframe.collect_schema()[c] in (pl.String, pl.Categorical) for c in _CATEGORICAL))),
        name="text_columns", error="文本列为 String 或 Categorical / text columns are String or Categorical",
    ))
    return _with_checks(schema, checks)


_CATEGORICAL = {"source_file", "period_label", "unit_code", "unit_name", "industry", "reg_district",
                "output_district", "target_unit"}


def _key_is_unique(lf: pl.LazyFrame) -> pl.LazyFrame:
    """True on each row whose counting key no other row has (`keys.int_key`, then one sort: hashing every
    row's key was most of this contract's time at 10M rows)."""
    return pl.LazyFrame({"ok": ~duplicated(int_key(lf.select(COUNTING_KEY).collect(), COUNTING_KEY))})


def _per_distinct(lf: pl.LazyFrame, column: str, ok: pl.Expr) -> pl.LazyFrame:
    """A boolean check of a text column, once per distinct value (as text), aligned to the rows."""
    return lf.select(per_value(lf, column, ok).fill_null(False).alias("ok"))


def per_value(lf: pl.LazyFrame, column: str, expr: pl.Expr) -> pl.Expr:
    """`expr` (of `pl.col(column)` as text) for every row, evaluated once per distinct value when the
    column is Categorical: one row of each category id present is found by a scatter of row numbers
    (hashing every row for `unique` cost 3–4× as much at 10M rows), `expr` runs on those values, and
    each row gathers its value's result by its id. Null rows give null. A String column: on the rows."""
    if lf.collect_schema()[column] != pl.Categorical:
        return expr
    ids = lf.select(pl.col(column).to_physical()).collect().to_series()
    rows = pl.int_range(ids.len(), dtype=pl.get_index_type(), eager=True).filter(ids.is_not_null())
    ids = ids.drop_nulls()
    if ids.is_empty():
        return pl.repeat(None, pl.len(), dtype=pl.DataFrame(schema={column: pl.String}).select(expr).dtypes[0])
    top = int(ids.max())
    one_row = pl.repeat(None, top + 1, dtype=rows.dtype, eager=True).scatter(ids, rows).drop_nulls()
    values = lf.select(pl.col(column)).collect().to_series().gather(one_row)
    checked = pl.DataFrame({"__id": values.to_physical(), column: values.cast(pl.String)}).select(
        "__id", expr.alias("__out"))
    lookup = pl.repeat(None, top + 1, dtype=checked.schema["__out"], eager=True).scatter(
        checked["__id"], checked["__out"])
    return pl.lit(lookup).gather(pl.col(column).to_physical())


def check_accepted(accepted: pl.DataFrame, reference: Reference) -> pl.DataFrame:
    """Validate the accepted records; a failure here is a bug in the pipeline, reported in Chinese and English."""
    from pipelines.errors import SzeiError

    try:
        return accepted_schema(reference).validate(accepted, lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases.select("column", "check", "failure_case", "index").head(10)
        lines = "; ".join(f"{c} {k} {v} #{i}" for c, k, v, i in cases.iter_rows())
        raise SzeiError(
            f"内部错误：接收的记录未通过契约校验（{lines}）",
            f"internal error: accepted records fail the contract schema ({lines})",
        ) from None
