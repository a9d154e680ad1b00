/*
kind: table
description: 单季规模（亿元）= 本期累计 − 上期累计；每年度×季度×区×产业一行
grain: one row per year × quarter × district (8 + 全市) × industry (3 + 合计)
columns:
  year: 统计年度
  quarter: 季度：1–4
  ytd_months: 对应累计月数
  period_label: 对应累计期
  district: 8个目标单位及全市
  industry: 产业类别（含合计）
  quarter_yi: 单季规模（亿元）；缺上期累计时为空
  is_negative: 单季值为负（累计值下降，需核实）
  prev_quarter_yi: 同年上一季度单季规模（亿元）；第一季度为空
  rose_on_prev_quarter: 单季规模是否高于同年上一季度；第一季度为空
  rose_every_quarter_to_date: 本年截至本季度是否每个季度都高于上一季度；第一季度或缺季度时为空
  prior_year_quarter_yi: 上年同季度单季规模（亿元）
  quarter_yoy_growth: 单季同比增长（比值）= 本季度 ÷ 上年同季度 − 1
*/
-- 单季值 derived from year-to-date values: Q1 = 1-3月, Q2 = 1-6月 − 1-3月, …
-- NULL where the previous period of the same year is missing; flagged where negative.
-- Beside each quarter: the quarter before it (same year), whether it rose on it, whether every quarter
-- of the year so far rose on the one before (what a chart title may claim), and the same quarter of
-- last year with the single-quarter growth over it.
with pairs as (
    select * from int_period_pairs
),

compared as (
    select
        year,
        cast(ytd_months / 3 as integer) as quarter,
        ytd_months,
        period_label,
        district,
        industry,
        quarter_yi,
        coalesce(quarter_yi < 0, false) as is_negative,
        prev_quarter_yi,
        case
            when prev_quarter_yi is not null and quarter_yi is not null
                then quarter_yi > prev_quarter_yi
        end as rose_on_prev_quarter,
        prior_year_quarter_yi,
        case when prior_year_quarter_yi > 0 then quarter_yi / prior_year_quarter_yi - 1 end
            as quarter_yoy_growth,
    from pairs
),

final as (
    select
        year,
        quarter,
        ytd_months,
        period_label,
        district,
        industry,
        quarter_yi,
        is_negative,
        prev_quarter_yi,
        rose_on_prev_quarter,
        -- NULL for the first quarter (nothing to rise on) and where a quarter of the year is missing
        case
            when quarter = 1 then null
            when count(rose_on_prev_quarter) over to_date = quarter - 1
                then bool_and(rose_on_prev_quarter) over to_date
        end as rose_every_quarter_to_date,
        prior_year_quarter_yi,
        quarter_yoy_growth,
    from compared
    window to_date as (
        partition by year, district, industry order by quarter
        rows between unbounded preceding and current row
    )
)

select * from final
order by year, quarter, district, industry
