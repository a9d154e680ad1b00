/*
description: 各区目标之和等于全市目标 / district targets sum to the city targets
*/
-- Blocking: the plan's district targets add up to its 全市 targets for every year and industry,
-- and the 2012 city targets add up to the combined 2800亿元 target. Returns the offending rows.
with district_targets as (
    select * from stg_scale_targets
),

city_targets as (
    select * from stg_city_targets
),

combined_targets as (
    select * from stg_combined_targets
),

district_sums as (
    select year, industry, sum(target_yi) as districts_yi,
    from district_targets
    group by all
),

by_industry as (
    select
        year,
        industry,
        district_sums.districts_yi,
        city_targets.target_yi as city_yi,
    from district_sums
    full join city_targets using (year, industry)
),

combined as (
    select
        c.year,
        '合计' as industry,
        sum(t.target_yi) as districts_yi,
        max(c.target_yi) as city_yi,
    from combined_targets as c
    inner join city_targets as t on c.year = t.year
    group by all
)

select * from by_industry
where districts_yi is distinct from city_yi
union all
select * from combined
where districts_yi is distinct from city_yi
