-- 同比增长: the plain rate (this year's total over last year's) beside the comparable-scope rate
-- (可比口径: only enterprises that reported the same industry in the same period of both years).
-- grain: one row per year × ytd_months × district (8 + 全市) × industry (3 + 合计)
with attainment as (
    select * from mart_attainment
),

attributed as (
    select * from int_attributed_output
),

firm_periods as (
    select distinct year, ytd_months, unit_code, industry from attributed
),

comparable_firms as (
    select cur.year, cur.ytd_months, cur.unit_code, cur.industry,
    from firm_periods as cur
    inner join firm_periods as prev
        on prev.year = cur.year - 1
        and prev.ytd_months = cur.ytd_months
        and prev.unit_code = cur.unit_code
        and prev.industry = cur.industry
),

-- both sides of the comparison, labelled with the year they are compared in
sides as (
    select c.year, a.ytd_months, a.target_unit, a.industry, a.unit_code, a.ytd_value_yi as current_yi, 0.0 as prior_yi,
    from attributed as a
    inner join comparable_firms as c using (year, ytd_months, unit_code, industry)
    union all
    select c.year, a.ytd_months, a.target_unit, a.industry, a.unit_code, 0.0, a.ytd_value_yi,
    from attributed as a
    inner join comparable_firms as c
        on a.year = c.year - 1
        and a.ytd_months = c.ytd_months
        and a.unit_code = c.unit_code
        and a.industry = c.industry
),

comparable as (
    select
        year,
        ytd_months,
        coalesce(target_unit, '全市') as district,
        coalesce(industry, '合计') as industry,
        count(distinct unit_code) as comparable_enterprises,
        sum(current_yi) as comparable_current_yi,
        sum(prior_yi) as comparable_prior_yi,
    from sides
    group by grouping sets (
        (year, ytd_months, target_unit, industry),
        (year, ytd_months, target_unit),
        (year, ytd_months, industry),
        (year, ytd_months)
    )
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
