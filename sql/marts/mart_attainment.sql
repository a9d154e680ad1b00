/*
kind: table
description: 三大产业目标完成情况（目标口径：龙华新区并入宝安区、大鹏新区并入龙岗区）；每年度×累计期×区×产业一行
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计)
columns:
  year: 统计年度
  ytd_months: 累计月数：3、6、9、12
  period_label: 累计期：1-3月、1-6月、1-9月、1-12月
  district: 8个目标单位及全市
  industry: 产业类别：生物、互联网、新能源、合计
  actual_yi: 本年累计规模（亿元），按统计口径归属；未报送为0
  target_yi: 年度目标（亿元）；无目标年度为空
  attainment: 完成进度 = 本年累计规模 ÷ 年度目标（比值，1 = 100%）
  time_progress: 时间进度 = 累计月数 ÷ 12（比值）
  schedule_gap_pp: 快慢于时间进度（个百分点）=（完成进度 − 时间进度）× 100
  yoy_growth: 同比增长（比值，0.1 = 10%）= 本期 ÷ 上年同期 − 1；无上年同期为空
  enterprises: 报送企业数（家，去重）
*/
-- 目标完成情况 under the counting rule and the target boundaries (目标口径).
with cells as (
    select * from int_period_pairs
),

final as (
    select
        year,
        ytd_months,
        period_label,
        district,
        industry,
        actual_yi,
        target_yi,
        attainment,
        time_progress,
        schedule_gap_pp,
        yoy_growth,
        enterprises,
    from cells
)

select * from final
order by year, ytd_months, district, industry
