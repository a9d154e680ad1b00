/*
kind: table
description: 方案期（基期至方案末年）逐年规模、目标与自基期以来增长；每年度×累计期×区×产业一行
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计), for the years from the base year to the plan's last target year that the data hold
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  district: 8个目标单位及全市
  industry: 产业类别（含合计）
  base_year: 基期年度（方案首个目标年度的上一年）
  final_year: 方案末年（最后一个目标年度）
  is_base_year: 是否基期
  is_final_year: 是否方案末年
  actual_yi: 本年累计规模（亿元）
  target_yi: 年度目标（亿元）；基期为空
  attainment: 完成进度（比值）
  target_met: 是否完成年度目标（完成进度 ≥ 100%）；无目标为空
  yoy_growth: 同比增长（比值）
  base_actual_yi: 基期同期累计规模（亿元）
  growth_since_base: 比基期同期增长（比值）
  average_annual_growth: 基期以来年均增长（比值）
*/
-- 方案期: the plan's years side by side — the base year (the year before its first target year, 2010 for
-- 深府办〔2010〕98号), then each target year — with each year's targets, and the growth since the base
-- year (same period) in total and per year on average. The plan's years are int_plan_years', the base year's figures int_period_pairs'.
with pairs as (
    select * from int_period_pairs
),

plan_years as (
    select * from int_plan_years
),

final as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.industry,
        plan_years.base_year,
        plan_years.final_year,
        cur.year = plan_years.base_year as is_base_year,
        cur.year = plan_years.final_year as is_final_year,
        cur.actual_yi,
        cur.target_yi,
        cur.attainment,
        case when cur.target_yi is not null then cur.attainment >= 1 end as target_met,
        cur.yoy_growth,
        cur.base_actual_yi,
        case when cur.base_actual_yi > 0 then cur.actual_yi / cur.base_actual_yi - 1 end as growth_since_base,
        case
            when cur.base_actual_yi > 0 and cur.year > plan_years.base_year
                then pow(cur.actual_yi / cur.base_actual_yi, 1.0 / (cur.year - plan_years.base_year)) - 1
        end as average_annual_growth,
    from pairs as cur
    cross join plan_years
    where cur.year between plan_years.base_year and plan_years.final_year
)

select * from final
order by year, ytd_months, district, industry
