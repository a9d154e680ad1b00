/*
description: 各区目标之和等于全市目标 / district targets sum to the city targets
*/
-- Blocking: the plan's district targets add up to its 全市 targets for every year and industry,
-- and the 2012 city targets add up to the combined 2800亿元 target. Returns the offending rows.
with targets as (
    select * from ref_scale_targets
),

by_industry as (
    select
        year,
        industry,
        sum(target_yi) filter (where district <> '全市') as districts_yi,
        max(target_yi) filter (where district = '全市') as city_yi,
    from targets
    group by all
),

combined as (
    select
        c.year,
        '合计' as industry,
        sum(t.target_yi) as districts_yi,
        max(c.target_yi) as city_yi,
    from ref_combined_targets as c
    inner join targets as t on t.year = c.year and t.district = '全市'
    group by all
)

select * from by_industry where districts_yi is distinct from city_yi
union all
select * from combined where districts_yi is distinct from city_yi
