/*
kind: table
description: 全市分产业本年累计规模（亿元），直接由企业记录汇总，用于核对各区之和
grain: one row per year × ytd_months × industry (3 industries and 合计)
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  industry: 产业类别（含合计）
  actual_yi: 本年累计规模（亿元）
  enterprises: 报送企业数（家，去重）
*/
-- City totals computed straight from the records, not from the district sums, so that
-- "全市 = Σ districts" is a real check (a record attributed to no target unit would break it).
with periods as (
    select * from int_periods
),

industries as (
    select industry from stg_industries
),

attributed as (
    select * from int_attributed_facts_narrow
),

counts as (
    select * from int_enterprise_counts
    where district = '全市'
),

by_industry as (
    select year, ytd_months, industry, sum(ytd_value_yi) as actual_yi,
    from attributed
    group by all
),

all_industries as (
    select year, ytd_months, '合计' as industry, sum(ytd_value_yi) as actual_yi,
    from attributed
    group by all
),

totals as (
    select * from by_industry
    union all
    select * from all_industries
),

grid as (
    select periods.year, periods.ytd_months, periods.period_label, industries.industry,
    from periods
    cross join industries
    union all
    select year, ytd_months, period_label, '合计' as industry from periods
),

final as (
    select
        grid.year,
        grid.ytd_months,
        grid.period_label,
        grid.industry,
        coalesce(totals.actual_yi, 0) as actual_yi,
        coalesce(counts.enterprises, 0) as enterprises,
    from grid
    left join totals
        using (year, ytd_months, industry)
    left join counts using (year, ytd_months, industry)
)

select * from final
