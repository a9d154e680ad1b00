/*
kind: table
description: 目标缺口（亿元）及年内剩余季度所需规模与增速；每年度×累计期×区×产业一行（有目标的年度）
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计), for years with targets
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  district: 8个目标单位及全市
  industry: 产业类别（含合计）
  level: 层级：city = 全市合计，industry = 全市分产业，district = 各区合计，cell = 各区分产业
  actual_yi: 本年累计规模（亿元）
  target_yi: 年度目标（亿元）
  attainment: 完成进度（比值）
  gap_yi: 与年度目标之差（亿元）= 规模 − 目标，负数为缺口
  shortfall_yi: 尚差目标（亿元）= max(目标 − 规模, 0)
  gap_rank: 同层级内按差额从缺口最大到超额最多的名次
  share_of_city_gap: 尚差目标占全市合计缺口的比值（可大于1：其他单元超额抵消了部分缺口）；全市无缺口时为空
  schedule_gap_yi: 快慢于时间进度的规模（亿元）= 规模 − 目标 × 时间进度，负数为落后
  schedule_gap_rank: 同层级内按快慢于时间进度的规模从最落后起的名次
  target_share: 目标占本区（全市）合计目标的比值
  months_remaining: 本年剩余月数
  remaining_needed_yi: 完成年度目标剩余季度尚需规模（亿元）；1-12月为空
  required_per_quarter_yi: 剩余季度平均每季尚需规模（亿元）；1-12月为空
  average_quarter_to_date_yi: 本年已过季度的季均规模（亿元）
  prior_remaining_yi: 上年同期剩余季度的规模（亿元）= 上年1-12月 − 上年同期累计；1-12月为空
  required_remaining_growth: 完成目标所需剩余季度比上年同期增长（比值）；已完成或1-12月为空
  growth_to_date: 本年累计同比增长（比值）
  required_growth_gap_pp: 所需剩余季度增速高于（负数为低于）本年累计增速（个百分点）；已完成或1-12月为空
  required_quarter_ratio: 剩余季度季均所需规模 ÷ 本年已过季度季均规模（倍）；1-12月为空
*/
-- 目标缺口: how far each target is from being met, in 亿元, and — before the year end — what the
-- remaining quarters must deliver and the growth over the same quarters of last year that requires.
-- gap_yi = actual − target (negative = short); shortfall_yi = the part still missing (0 when met).
-- gap_rank orders the cells of one level by gap_yi, most short first, so the cells that contribute
-- most to the city's gap come first: level 'industry' (全市 × each industry), 'district' (each target
-- unit × 合计), 'cell' (target unit × industry), 'city' (全市 × 合计).
-- share_of_city_gap = the cell's shortfall ÷ the city's combined net shortfall (may exceed 1: other
-- cells' surpluses offset part of it). schedule_gap_yi = actual − target × time progress: how far, in
-- 亿元, a cell is behind (negative) or ahead of what time progress asks, ranked like gap_yi. required_remaining_growth is NULL once a target is met.
with attainment as (
    select * from int_period_pairs
    where target_yi is not null
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
        a.level,
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
        case when a.ytd_months < 12 then a.prior_annual_yi - a.prior_actual_yi end as prior_remaining_yi,
    from attainment as a
    left join district_targets as d using (year, ytd_months, district)
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
        cast(
            rank() over (partition by cells.year, cells.ytd_months, cells.level order by cells.gap_yi)
            as integer
        ) as gap_rank,
        case when g.city_shortfall_yi > 0 then cells.shortfall_yi / g.city_shortfall_yi end as share_of_city_gap,
        cells.schedule_gap_yi,
        cast(
            rank() over (partition by cells.year, cells.ytd_months, cells.level order by cells.schedule_gap_yi)
            as integer
        ) as schedule_gap_rank,
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
