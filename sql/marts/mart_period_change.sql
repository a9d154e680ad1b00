-- 比上期变化: each figure against the previous reporting period — the period just before it among the
-- periods present (1-9月 for 1-12月; last year's 1-12月 for 1-3月). Attainment and its position against
-- time progress are compared within the same year only (targets are annual); growth rates across years
-- too. Changes are in 个百分点 (a positive change = 提高, negative = 回落).
-- grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计),
-- for every period that has a previous one
with attainment as (
    select * from mart_attainment
),

periods as (
    select
        year,
        ytd_months,
        lag(year) over (order by year, ytd_months) as prev_year,
        lag(ytd_months) over (order by year, ytd_months) as prev_ytd_months,
    from int_periods
),

final as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.industry,
        p.prev_year,
        p.prev_ytd_months,
        prev.period_label as prev_period_label,
        p.prev_year = cur.year as same_year,
        cur.actual_yi,
        prev.actual_yi as prev_actual_yi,
        cur.attainment,
        case when p.prev_year = cur.year then prev.attainment end as prev_attainment,
        case when p.prev_year = cur.year then (cur.attainment - prev.attainment) * 100 end
            as attainment_change_pp,
        cur.schedule_gap_pp,
        case when p.prev_year = cur.year then prev.schedule_gap_pp end as prev_schedule_gap_pp,
        case when p.prev_year = cur.year then cur.schedule_gap_pp - prev.schedule_gap_pp end
            as schedule_gap_change_pp,
        cur.yoy_growth,
        prev.yoy_growth as prev_yoy_growth,
        (cur.yoy_growth - prev.yoy_growth) * 100 as growth_change_pp,
    from attainment as cur
    inner join periods as p using (year, ytd_months)
    inner join attainment as prev
        on prev.year = p.prev_year
        and prev.ytd_months = p.prev_ytd_months
        and prev.district = cur.district
        and prev.industry = cur.industry
)

select * from final
order by year, ytd_months, district, industry
