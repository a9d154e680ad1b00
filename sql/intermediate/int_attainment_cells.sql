/*
kind: temp table
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计)
*/
-- Each published cell's year-to-date scale (exact DECIMAL sums), annual target and enterprise count:
-- the 8 target units from int_unit_actuals with their 合计, 全市 from int_city_actuals (summed from the
-- records, not from the districts, so that the sum check means something); 全市 targets are the plan's
-- own city row. Ratios and comparisons with other periods are int_period_pairs'.
with units as (
    select * from int_unit_actuals
),

city as (
    select * from int_city_actuals
),

targets as (
    select * from stg_scale_targets
),

city_targets as (
    select * from stg_city_targets
),

units_with_total as (
    select year, ytd_months, period_label, district, industry, actual_yi, enterprises,
    from units
    union all
    select year, ytd_months, period_label, district, '合计' as industry, sum(actual_yi) as actual_yi, null as enterprises,
    from units
    group by all
),

-- 合计 enterprises: distinct enterprises across industries in the unit (one firm may be in two)
unit_enterprises_all as (
    select year, ytd_months, district, enterprises,
    from int_enterprise_counts
    where industry = '合计' and district <> '全市'
),

unit_rows as (
    select
        u.year, u.ytd_months, u.period_label, u.district, u.industry, u.actual_yi,
        coalesce(u.enterprises, e.enterprises, 0) as enterprises,
    from units_with_total as u
    left join unit_enterprises_all as e
        on u.industry = '合计' and u.year = e.year and u.ytd_months = e.ytd_months and u.district = e.district
),

all_rows as (
    select year, ytd_months, period_label, district, industry, actual_yi, enterprises, from unit_rows
    union all
    select year, ytd_months, period_label, '全市' as district, industry, actual_yi, enterprises, from city
),

unit_targets as (
    select year, district, industry, target_yi from targets
    union all
    select year, district, '合计' as industry, sum(target_yi) as target_yi from targets
    group by all
),

-- 全市 targets are the document's own city row; 合计 is the sum of the three industries.
all_targets as (
    select * from unit_targets
    union all
    select year, '全市' as district, industry, target_yi from city_targets
    union all
    select year, '全市' as district, '合计' as industry, sum(target_yi) as target_yi from city_targets
    group by all
),

final as (
    select
        r.year,
        r.ytd_months,
        r.period_label,
        r.district,
        r.industry,
        r.actual_yi,
        t.target_yi,
        r.enterprises,
        r.ytd_months / 12.0 as time_progress,
        -- the level a cell is ranked within (mart_target_gap, mart_growth_contribution)
        case
            when r.district = '全市' and r.industry = '合计' then 'city'
            when r.district = '全市' then 'industry'
            when r.industry = '合计' then 'district'
            else 'cell'
        end as level,
    from all_rows as r
    left join all_targets as t using (year, district, industry)
)

select * from final
