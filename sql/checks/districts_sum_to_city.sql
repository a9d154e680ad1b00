/*
description: 各区之和等于全市 / districts sum to 全市
*/
-- Blocking: for every year, period and industry, the 8 target units add up to 全市
-- (全市 is summed from the records themselves, so this is a real check). Returns the offending rows.
with attainment as (
    select * from mart_attainment
),

sums as (
    select
        year,
        ytd_months,
        industry,
        sum(actual_yi) filter (where district <> '全市') as districts_yi,
        max(actual_yi) filter (where district = '全市') as city_yi,
    from attainment
    group by all
)

select * from sums
where abs(coalesce(districts_yi, 0) - coalesce(city_yi, 0)) > 1e-6 * greatest(1, abs(coalesce(city_yi, 0)))
