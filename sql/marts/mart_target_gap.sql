-- 目标缺口: how far each target is from being met, in 亿元, and — before the year end — what the
-- remaining quarters must deliver and the growth over the same quarters of last year that requires.
-- gap_yi = actual − target (negative = short); shortfall_yi = the part still missing (0 when met).
-- gap_rank orders the cells of one level by gap_yi, most short first, so the cells that contribute
-- most to the city's gap come first: level 'industry' (全市 × each industry), 'district' (each target
-- unit × 合计), 'cell' (target unit × industry), 'city' (全市 × 合计).
-- share_of_city_gap = the cell's shortfall ÷ the city's combined net shortfall (may exceed 1: other
-- cells' surpluses offset part of it). schedule_gap_yi = actual − target × time progress: how far, in
-- 亿元, a cell is behind (negative) or ahead of what time progress asks, ranked like gap_yi. required_remaining_growth is NULL once a target is met.
-- grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计),
-- for years with targets
with attainment as (
    select * from mart_attainment
    where target_yi is not null
),

annual as (
    select year, district, industry, actual_yi as annual_yi,
    from mart_attainment
    where ytd_months = 12
),

city_gap as (
    select year, ytd_months, target_yi - actual_yi as city_shortfall_yi,
    from attainment
    where district = '全市' and industry = '合计'
),

district_targets as (
    select year, ytd_months, district, target_yi as district_target_yi,
    from attainment
    where industry = '合计'
),

cells as (
    select
        a.year,
        a.ytd_months,
        a.period_label,
        a.district,
        a.industry,
        case
            when a.district = '全市' and a.industry = '合计' then 'city'
            when a.district = '全市' then 'industry'
            when a.industry = '合计' then 'district'
            else 'cell'
        end as level,
        a.actual_yi,
        a.target_yi,
        a.attainment,
        a.actual_yi - a.target_yi as gap_yi,
        a.actual_yi - a.target_yi * a.time_progress as schedule_gap_yi,
        greatest(a.target_yi - a.actual_yi, 0) as shortfall_yi,
        a.target_yi / d.district_target_yi as target_share,
        a.yoy_growth,
        12 - a.ytd_months as months_remaining,
        -- last year's value of the quarters still to come: its 1-12月 minus its same year-to-date
        case when a.ytd_months < 12 then prior_annual.annual_yi - prior.actual_yi end as prior_remaining_yi,
    from attainment as a
    left join district_targets as d using (year, ytd_months, district)
    left join mart_attainment as prior
        on prior.year = a.year - 1
        and prior.ytd_months = a.ytd_months
        and prior.district = a.district
        and prior.industry = a.industry
    left join annual as prior_annual
        on prior_annual.year = a.year - 1
        and prior_annual.district = a.district
        and prior_annual.industry = a.industry
),

final as (
    select
        cells.year,
        cells.ytd_months,
        cells.period_label,
        cells.district,
        cells.industry,
        cells.level,
        cells.actual_yi,
        cells.target_yi,
        cells.attainment,
        cells.gap_yi,
        cells.shortfall_yi,
        cast(rank() over (partition by cells.year, cells.ytd_months, cells.level order by cells.gap_yi)
            as integer) as gap_rank,
        case when g.city_shortfall_yi > 0 then cells.shortfall_yi / g.city_shortfall_yi end as share_of_city_gap,
        cells.schedule_gap_yi,
        cast(rank() over (partition by cells.year, cells.ytd_months, cells.level order by cells.schedule_gap_yi)
            as integer) as schedule_gap_rank,
        cells.target_share,
        cells.months_remaining,
        case when cells.ytd_months < 12 then cells.shortfall_yi end as remaining_needed_yi,
        case when cells.ytd_months < 12 then cells.shortfall_yi / (cells.months_remaining / 3) end
            as required_per_quarter_yi,
        cells.actual_yi / (cells.ytd_months / 3) as average_quarter_to_date_yi,
        cells.prior_remaining_yi,
        case
            when cells.ytd_months < 12 and cells.prior_remaining_yi > 0 and cells.shortfall_yi > 0
                then cells.shortfall_yi / cells.prior_remaining_yi - 1
        end as required_remaining_growth,
        cells.yoy_growth as growth_to_date,
        -- how much faster than so far the rest of the year must grow, and run per quarter
        case
            when cells.ytd_months < 12 and cells.prior_remaining_yi > 0 and cells.shortfall_yi > 0
                then (cells.shortfall_yi / cells.prior_remaining_yi - 1 - cells.yoy_growth) * 100
        end as required_growth_gap_pp,
        case
            when cells.ytd_months < 12 and cells.actual_yi > 0
                then (cells.shortfall_yi / (cells.months_remaining / 3)) / (cells.actual_yi / (cells.ytd_months / 3))
        end as required_quarter_ratio,
    from cells
    left join city_gap as g using (year, ytd_months)
)

select * from final
order by year, ytd_months, level, gap_rank, district, industry
