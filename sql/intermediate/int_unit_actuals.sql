/*
kind: table
description: 各目标单位分产业本年累计规模（亿元，目标口径，未报送为0）
grain: one row per year × ytd_months × target unit × industry
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  district: 目标单位
  industry: 产业类别
  actual_yi: 本年累计规模（亿元）
  enterprises: 报送企业数（家）
*/
-- Year-to-date scale per target unit (目标口径: new areas folded into their parent) and industry,
-- on the full grid of periods × the 8 units × 3 industries (0 where nothing was reported).
with periods as (
    select * from int_periods
),

units as (
    select district, sort_order from stg_districts
    where is_target_unit
),

industries as (
    select industry from stg_industries
),

attributed as (
    select * from int_attributed_facts_narrow
),

counts as (
    select * from int_enterprise_counts
),

sums as (
    select
        year,
        ytd_months,
        target_unit as district,
        industry,
        sum(ytd_value_yi) as actual_yi,
    from attributed
    group by all
),

grid as (
    select periods.year, periods.ytd_months, periods.period_label, units.district, industries.industry,
    from periods
    cross join units
    cross join industries
),

final as (
    select
        grid.year,
        grid.ytd_months,
        grid.period_label,
        grid.district,
        grid.industry,
        coalesce(sums.actual_yi, 0) as actual_yi,
        coalesce(counts.enterprises, 0) as enterprises,
    from grid
    left join sums using (year, ytd_months, district, industry)
    left join counts using (year, ytd_months, district, industry)
)

select * from final
