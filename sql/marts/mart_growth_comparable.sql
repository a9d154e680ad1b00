-- 同比增长: the plain rate (this year's total over last year's) beside the comparable-scope rate
-- (可比口径: only enterprises that reported the same industry in the same period of both years,
-- counted in the same place).
-- grain: one row per year × ytd_months × district (8 + 全市) × industry (3 + 合计)
with attainment as (
    select * from mart_attainment
),

attributed as (
    select * from int_attributed_output
),

-- Comparable scope is matched where the figure is counted: a district compares the enterprises
-- counted in that district in both years (a firm that moved, or a bio firm that added an output
-- district, is not comparable there); the city compares the enterprises it holds in both years.
district_firms as (
    select distinct year, ytd_months, target_unit, unit_code, industry from attributed
),

city_firms as (
    select distinct year, ytd_months, unit_code, industry from attributed
),

district_sides as (
    select a.year, a.ytd_months, a.target_unit, a.industry, a.unit_code, a.ytd_value_yi as current_yi, 0.0 as prior_yi,
    from attributed as a
    semi join district_firms as prev
        on prev.year = a.year - 1
        and prev.ytd_months = a.ytd_months
        and prev.target_unit = a.target_unit
        and prev.unit_code = a.unit_code
        and prev.industry = a.industry
    union all
    select a.year + 1, a.ytd_months, a.target_unit, a.industry, a.unit_code, 0.0, a.ytd_value_yi,
    from attributed as a
    semi join district_firms as cur
        on cur.year = a.year + 1
        and cur.ytd_months = a.ytd_months
        and cur.target_unit = a.target_unit
        and cur.unit_code = a.unit_code
        and cur.industry = a.industry
),

city_sides as (
    select a.year, a.ytd_months, a.industry, a.unit_code, a.ytd_value_yi as current_yi, 0.0 as prior_yi,
    from attributed as a
    semi join city_firms as prev
        on prev.year = a.year - 1
        and prev.ytd_months = a.ytd_months
        and prev.unit_code = a.unit_code
        and prev.industry = a.industry
    union all
    select a.year + 1, a.ytd_months, a.industry, a.unit_code, 0.0, a.ytd_value_yi,
    from attributed as a
    semi join city_firms as cur
        on cur.year = a.year + 1
        and cur.ytd_months = a.ytd_months
        and cur.unit_code = a.unit_code
        and cur.industry = a.industry
),

comparable as (
    select
        year,
        ytd_months,
        target_unit as district,
        coalesce(industry, '合计') as industry,
        count(distinct unit_code) as comparable_enterprises,
        sum(current_yi) as comparable_current_yi,
        sum(prior_yi) as comparable_prior_yi,
    from district_sides
    group by grouping sets ((year, ytd_months, target_unit, industry), (year, ytd_months, target_unit))
    union all
    select
        year,
        ytd_months,
        '全市' as district,
        coalesce(industry, '合计') as industry,
        count(distinct unit_code),
        sum(current_yi),
        sum(prior_yi),
    from city_sides
    group by grouping sets ((year, ytd_months, industry), (year, ytd_months))
),

final as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.industry,
        cur.actual_yi,
        prev.actual_yi as prior_actual_yi,
        cur.yoy_growth,
        cast(coalesce(comparable.comparable_enterprises, 0) as integer) as comparable_enterprises,
        coalesce(comparable.comparable_current_yi, 0) as comparable_current_yi,
        coalesce(comparable.comparable_prior_yi, 0) as comparable_prior_yi,
        case
            when comparable.comparable_prior_yi > 0
                then comparable.comparable_current_yi / comparable.comparable_prior_yi - 1
        end as yoy_growth_comparable,
    from attainment as cur
    left join attainment as prev
        on prev.year = cur.year - 1
        and prev.ytd_months = cur.ytd_months
        and prev.district = cur.district
        and prev.industry = cur.industry
    left join comparable
        on comparable.year = cur.year
        and comparable.ytd_months = cur.ytd_months
        and comparable.district = cur.district
        and comparable.industry = cur.industry
)

select * from final
order by year, ytd_months, district, industry
