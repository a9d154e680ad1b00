/*
kind: table
description: 同比增长：全口径与可比口径（两年同期均报送的同一批企业）；每年度×累计期×区×产业一行
grain: one row per year × ytd_months × district (8 + 全市) × industry (3 + 合计)
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  district: 8个目标单位及全市
  industry: 产业类别（含合计）
  actual_yi: 本年累计规模（亿元）
  prior_actual_yi: 上年同期累计规模（亿元）
  yoy_growth: 全口径同比增长（比值）
  comparable_enterprises: 可比企业数（家）
  comparable_current_yi: 可比企业本期累计规模（亿元）
  comparable_prior_yi: 可比企业上年同期累计规模（亿元）
  yoy_growth_comparable: 可比口径同比增长（比值）
*/
-- 同比增长: the plain rate (this year's total over last year's) beside the comparable-scope rate
-- (可比口径: only enterprises that reported the same industry in the same period of both years,
-- counted in the same place).
with pairs as (
    select * from int_period_pairs
),

counts as (
    select * from int_enterprise_counts
),

final as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.industry,
        cur.actual_yi,
        cur.prior_actual_yi,
        cur.yoy_growth,
        cast(coalesce(counts.comparable_enterprises, 0) as integer) as comparable_enterprises,
        cast(coalesce(counts.comparable_current_yi, 0) as double) as comparable_current_yi,
        cast(coalesce(counts.comparable_prior_yi, 0) as double) as comparable_prior_yi,
        case
            when counts.comparable_prior_yi > 0
                then counts.comparable_current_yi / counts.comparable_prior_yi - 1
        end as yoy_growth_comparable,
    from pairs as cur
    left join counts using (year, ytd_months, district, industry)
)

select * from final
order by year, ytd_months, district, industry
