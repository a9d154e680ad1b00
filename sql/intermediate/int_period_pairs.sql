/*
kind: temp table
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计)
*/
-- Each cell's figures (those mart_attainment publishes) beside the same cell in the periods the marts
-- compare it with, so that no mart joins the cells to themselves:
--   prior_*         the same period of last year (同比: yoy_growth, growth contribution, comparable growth)
--   prev_*          the previous reporting period among the periods present (比上期: 1-9月 for 1-12月,
--                   last year's 1-12月 for 1-3月)
--   prior_annual_yi last year's 1-12月 (what the rest of last year delivered)
--   quarter_yi, prev_quarter_yi, prior_year_quarter_yi  the single quarter (单季: this year-to-date less
--                   the one a quarter earlier), the quarter before it and the same quarter last year
--   base_*          the same period of the plan's base year (方案期)
-- A counterpart that is not in the data is NULL. Figures are DOUBLE as published (the sums are exact
-- DECIMAL in int_attainment_cells; the ratios are computed from them).
with cells as (
    select * from int_attainment_cells
),

periods as (
    select * from int_periods
),

plan_years as (
    select * from int_plan_years
),

previous_periods as (
    select
        year,
        ytd_months,
        lag(year) over (order by year, ytd_months) as prev_year,
        lag(ytd_months) over (order by year, ytd_months) as prev_ytd_months,
    from periods
),

figures as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.industry,
        cast(cur.actual_yi as double) as actual_yi,
        cast(cur.target_yi as double) as target_yi,
        cur.actual_yi / cur.target_yi as attainment,
        cur.time_progress,
        (cur.actual_yi / cur.target_yi - cur.time_progress) * 100 as schedule_gap_pp,
        case when last_year.actual_yi > 0 then cur.actual_yi / last_year.actual_yi - 1 end as yoy_growth,
        cast(cur.enterprises as integer) as enterprises,
        cur.level,
    from cells as cur
    left join cells as last_year
        on
            last_year.year = cur.year - 1
            and cur.ytd_months = last_year.ytd_months
            and cur.district = last_year.district
            and cur.industry = last_year.industry
),

-- 单季: a quarter's value is its year-to-date value less the one a quarter earlier (1-3月 is its own);
-- NULL where the earlier period is missing
cell_figures as (
    select
        cur.*,
        case
            when cur.ytd_months = 3 then cur.actual_yi
            else cur.actual_yi - quarter_before.actual_yi
        end as quarter_yi,
    from figures as cur
    left join figures as quarter_before
        on
            cur.year = quarter_before.year
            and quarter_before.ytd_months = cur.ytd_months - 3
            and cur.district = quarter_before.district
            and cur.industry = quarter_before.industry
),

final as (
    select
        cur.*,
        last_year.actual_yi as prior_actual_yi,
        p.prev_year,
        p.prev_ytd_months,
        prev.period_label as prev_period_label,
        prev.actual_yi as prev_actual_yi,
        prev.attainment as prev_attainment,
        prev.schedule_gap_pp as prev_schedule_gap_pp,
        prev.yoy_growth as prev_yoy_growth,
        prior_annual.actual_yi as prior_annual_yi,
        quarter_before.quarter_yi as prev_quarter_yi,
        last_year.quarter_yi as prior_year_quarter_yi,
        plan_years.base_year,
        base.actual_yi as base_actual_yi,
    from cell_figures as cur
    left join previous_periods as p using (year, ytd_months)
    cross join plan_years
    left join cell_figures as last_year
        on
            last_year.year = cur.year - 1
            and cur.ytd_months = last_year.ytd_months
            and cur.district = last_year.district
            and cur.industry = last_year.industry
    left join cell_figures as prev
        on
            p.prev_year = prev.year
            and p.prev_ytd_months = prev.ytd_months
            and cur.district = prev.district
            and cur.industry = prev.industry
    left join cell_figures as prior_annual
        on
            prior_annual.year = cur.year - 1
            and prior_annual.ytd_months = 12
            and cur.district = prior_annual.district
            and cur.industry = prior_annual.industry
    left join cell_figures as quarter_before
        on
            cur.year = quarter_before.year
            and quarter_before.ytd_months = cur.ytd_months - 3
            and cur.district = quarter_before.district
            and cur.industry = quarter_before.industry
    left join cell_figures as base
        on
            plan_years.base_year = base.year
            and cur.ytd_months = base.ytd_months
            and cur.district = base.district
            and cur.industry = base.industry
)

select * from final
