/*
kind: table
description: 比上期变化：与上一个报告期（同年上一累计期；1-3月为上年1-12月）比较；每年度×累计期×区×产业一行
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计), for every period that has a previous one
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  district: 8个目标单位及全市
  industry: 产业类别（含合计）
  prev_year: 上一报告期的统计年度
  prev_ytd_months: 上一报告期的累计月数
  prev_period_label: 上一报告期的累计期（如1-9月）
  same_year: 上一报告期是否在同一年度
  actual_yi: 本期累计规模（亿元）
  prev_actual_yi: 上一报告期累计规模（亿元）
  attainment: 本期完成进度（比值）
  prev_attainment: 上一报告期完成进度（比值）；跨年度为空
  attainment_change_pp: 完成进度比上期提高（个百分点，负数为回落）；跨年度为空
  schedule_gap_pp: 本期快慢于时间进度（个百分点）
  prev_schedule_gap_pp: 上一报告期快慢于时间进度（个百分点）；跨年度为空
  schedule_gap_change_pp: 快慢于时间进度的变化（个百分点）；跨年度为空
  yoy_growth: 本期同比增长（比值）
  prev_yoy_growth: 上一报告期同比增长（比值）
  growth_change_pp: 增速比上期提高（个百分点，负数为回落）
*/
-- 比上期变化: each figure against the previous reporting period — the period just before it among the
-- periods present (1-9月 for 1-12月; last year's 1-12月 for 1-3月). Attainment and its position against
-- time progress are compared within the same year only (targets are annual); growth rates across years
-- too. Changes are in 个百分点 (a positive change = 提高, negative = 回落).
with pairs as (
    select * from int_period_pairs
    where prev_period_label is not null  -- a previous period in the data
),

final as (
    select
        year,
        ytd_months,
        period_label,
        district,
        industry,
        prev_year,
        prev_ytd_months,
        prev_period_label,
        prev_year = year as same_year,
        actual_yi,
        prev_actual_yi,
        attainment,
        case when prev_year = year then prev_attainment end as prev_attainment,
        case when prev_year = year then (attainment - prev_attainment) * 100 end as attainment_change_pp,
        schedule_gap_pp,
        case when prev_year = year then prev_schedule_gap_pp end as prev_schedule_gap_pp,
        case when prev_year = year then schedule_gap_pp - prev_schedule_gap_pp end as schedule_gap_change_pp,
        yoy_growth,
        prev_yoy_growth,
        (yoy_growth - prev_yoy_growth) * 100 as growth_change_pp,
    from pairs
)

select * from final
order by year, ytd_months, district, industry
