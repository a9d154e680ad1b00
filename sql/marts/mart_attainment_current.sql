/*
kind: table
description: 现行区划口径的产业规模（龙华新区、大鹏新区单列）；每年度×累计期×区×产业一行
grain: one row per year × ytd_months × district (every district of the dictionary + 全市) × industry (3 + 合计)
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  district: 区（新区），含龙华新区、大鹏新区及全市
  target_unit: 目标口径下归属的目标单位
  industry: 产业类别（含合计）
  actual_yi: 本年累计规模（亿元）
*/
-- 现行区划口径: scale by the district the counting rule names, new areas (龙华新区, 大鹏新区) on their own.
with attributed as (
    select * from int_attributed_facts
),

periods as (
    select * from int_periods
),

districts as (
    select district, target_unit from stg_districts
),

industries as (
    select industry from stg_industries
    union all
    select '合计'
),

sums as (
    select year, ytd_months, current_district as district, industry, sum(ytd_value_yi) as actual_yi,
    from attributed
    group by all
    union all
    select year, ytd_months, current_district as district, '合计' as industry, sum(ytd_value_yi) as actual_yi,
    from attributed
    group by all
),

grid as (
    select p.year, p.ytd_months, p.period_label, d.district, d.target_unit, i.industry,
    from periods as p
    cross join districts as d
    cross join industries as i
),

district_rows as (
    select
        grid.year, grid.ytd_months, grid.period_label, grid.district, grid.target_unit, grid.industry,
        cast(coalesce(sums.actual_yi, 0) as double) as actual_yi,
    from grid
    left join sums using (year, ytd_months, district, industry)
),

final as (
    select * from district_rows
    union all
    select year, ytd_months, period_label, '全市' as district, '全市' as target_unit, industry, cast(actual_yi as double) as actual_yi,
    from int_city_actuals
)

select * from final
order by year, ytd_months, district, industry
