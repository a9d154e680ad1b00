/*
kind: table
description: 重点企业数量：全年（1-12月）产值达到各档门槛的企业数（累计计数）与方案目标；每年度×产业×档次一行
grain: one row per year (with 1-12月 data) × industry × band
columns:
  year: 统计年度
  industry: 产业类别
  band: 规模档次：超百亿元、超十亿元、超亿元
  threshold_yi: 档次门槛（亿元）：100、10、1
  enterprises: 全年产值不低于门槛的企业数（家）
  target: 方案目标企业数（家，区间取下限）；无目标为空
  target_stretch: 方案目标企业数（家，区间取上限）
  qualifier: 方案措辞：达到、力争、左右、培育
  measure: 方案所用指标：年产值、营业收入、销售收入
  data_measure: 本数据所用指标：产值
  measure_differs: 方案指标与数据指标不一致（营业收入、销售收入按产值计）
  target_met: 是否达到目标：企业数不低于方案数字（区间取下限；达到、力争、左右、培育同一标准）；无目标为空
*/
-- 重点企业: enterprises whose annual (1-12月) value in an industry reaches a band's threshold,
-- cumulative (a 150亿 enterprise counts in all three bands), against the plan's city counts.
-- An enterprise's value in an industry is the sum of its rows (生物: every output district),
-- compared in 万元 (the unit reported) rounded to 4 decimals, so that a firm at exactly a threshold
-- is not pushed under it by the float error of summing several rows.
-- The plan counts some bands by another measure (营业收入 for 互联网, 销售收入 for 生物 2012) than the
-- 产值 the data hold: measure, data_measure and measure_differs say so.
with records as (
    select * from int_attributed_facts
),

band_targets as (
    select * from stg_band_targets
),

industries as (
    select industry, sort_order from stg_industries
),

bands as (  -- the bands and their thresholds: stg_bands (data/raw/targets/bands.csv)
    select bands.band, cast(bands.threshold_yi as double) as threshold_yi, bands.sort_order as band_order,
    from stg_bands as bands
),

annual as (
    select year, industry, firm_id, round(sum(ytd_value_wan), 4) as annual_wan,
    from records
    where ytd_months = 12
    group by all
),

years as (
    select distinct year from annual
),

grid as (
    select years.year, industries.industry, bands.band, bands.threshold_yi, bands.band_order,
    from years
    cross join industries
    cross join bands
),

counts as (
    select
        grid.year,
        grid.industry,
        grid.band,
        grid.threshold_yi,
        grid.band_order,
        count(annual.firm_id) as enterprises,
    from grid
    left join annual
        on
            grid.year = annual.year
            and grid.industry = annual.industry
            and annual.annual_wan >= grid.threshold_yi * 10000
    group by all
),

final as (
    select
        counts.year,
        counts.industry,
        counts.band,
        counts.threshold_yi,
        cast(counts.enterprises as integer) as enterprises,
        cast(band_targets.target_floor as integer) as target,
        cast(band_targets.target_stretch as integer) as target_stretch,
        band_targets.qualifier,
        band_targets.measure,
        '产值' as data_measure,
        band_targets.measure is not null and band_targets.measure <> '年产值' as measure_differs,
        -- every qualifier (达到, 力争, 左右, 培育) is judged against the stated number (a range: its floor)
        case
            when band_targets.target_floor is not null
                then counts.enterprises >= band_targets.target_floor
        end as target_met,
    from counts
    left join band_targets
        on
            cast(band_targets.year as integer) = counts.year
            and counts.industry = band_targets.industry
            and counts.band = band_targets.band
)

select * from final
order by year, industry, band
