/*
kind: table
description: 增长贡献：各产业、各区对全市三大产业增长的拉动（个百分点）与贡献率；每年度×累计期×区×产业一行（有上年同期的期别）
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计), for periods with the same period a year before
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  district: 8个目标单位及全市
  industry: 产业类别（含合计）
  actual_yi: 本期累计规模（亿元）
  prior_actual_yi: 上年同期累计规模（亿元）
  increase_yi: 比上年同期增加（亿元）
  yoy_growth: 同比增长（比值）
  contribution_pp: 拉动全市三大产业增长（个百分点）= 增加额 ÷ 上年同期全市合计 × 100
  contribution_share: 贡献率（比值）= 增加额 ÷ 全市合计增加额
  contribution_pp_in_district: 拉动本区三大产业增长（个百分点）= 增加额 ÷ 上年同期本区合计 × 100
  contribution_pp_in_industry: 拉动全市本产业增长（个百分点）= 增加额 ÷ 上年同期全市本产业 × 100
  level: 层级：city = 全市合计，industry = 全市分产业，district = 各区合计，cell = 各区分产业
  contribution_rank: 同层级内按拉动从大到小的名次
  growth_rank: 同层级内按同比增速从快到慢的名次（无上年数据者居后）
*/
-- 增长贡献: how many percentage points each industry, district and cell adds to growth (拉动 … 个百分点),
-- and its share of the increase (贡献率). contribution_pp = the cell's increase over the same period last
-- year ÷ last year's 全市 合计 × 100, so the industries' (or the districts') contributions add up to the
-- city's growth in 个百分点. Within a district: ÷ that district's 合计 last year; within an industry:
-- ÷ the city's value of that industry last year.
-- level, contribution_rank and growth_rank: as in mart_target_gap (city / industry / district / cell),
-- ranked from the largest pull and the fastest growth.
with pairs as (
    select * from int_period_pairs
    where prior_actual_yi is not null  -- the same period a year before in the data
),

paired as (
    select
        year,
        ytd_months,
        period_label,
        district,
        industry,
        actual_yi,
        prior_actual_yi,
        actual_yi - prior_actual_yi as increase_yi,
        yoy_growth,
        level,
    from pairs
),

city_total as (
    select year, ytd_months, prior_actual_yi as city_prior_yi, increase_yi as city_increase_yi,
    from paired
    where district = '全市' and industry = '合计'
),

district_total as (
    select year, ytd_months, district, prior_actual_yi as district_prior_yi,
    from paired
    where industry = '合计'
),

city_industry as (
    select year, ytd_months, industry, prior_actual_yi as industry_prior_yi,
    from paired
    where district = '全市'
),

contributions as (
    select
        p.year,
        p.ytd_months,
        p.period_label,
        p.district,
        p.industry,
        p.actual_yi,
        p.prior_actual_yi,
        p.increase_yi,
        p.yoy_growth,
        case when c.city_prior_yi > 0 then p.increase_yi / c.city_prior_yi * 100 end as contribution_pp,
        case when c.city_increase_yi <> 0 then p.increase_yi / c.city_increase_yi end as contribution_share,
        case when d.district_prior_yi > 0 then p.increase_yi / d.district_prior_yi * 100 end
            as contribution_pp_in_district,
        case when i.industry_prior_yi > 0 then p.increase_yi / i.industry_prior_yi * 100 end
            as contribution_pp_in_industry,
        p.level,
    from paired as p
    left join city_total as c using (year, ytd_months)
    left join district_total as d using (year, ytd_months, district)
    left join city_industry as i using (year, ytd_months, industry)
),

-- ranks within a level, so that a report's "拉动最多" or "增速最快" names the row ranked first
final as (
    select
        *,
        cast(
            rank() over (partition by year, ytd_months, level order by contribution_pp desc nulls last)
            as integer
        ) as contribution_rank,
        cast(
            rank() over (partition by year, ytd_months, level order by yoy_growth desc nulls last)
            as integer
        ) as growth_rank,
    from contributions
)

select * from final
order by year, ytd_months, district, industry
