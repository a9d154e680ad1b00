/*
kind: table
description: 三大产业目标完成情况（目标口径：龙华新区并入宝安区、大鹏新区并入龙岗区）；每年度×累计期×区×产业一行
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计)
columns:
  year: 统计年度
  ytd_months: 累计月数：3、6、9、12
  period_label: 累计期：1-3月、1-6月、1-9月、1-12月
  district: 8个目标单位及全市
  industry: 产业类别：生物、互联网、新能源、合计
  actual_yi: 本年累计规模（亿元），按统计口径归属；未报送为0
  target_yi: 年度目标（亿元）；无目标年度为空
  attainment: 完成进度 = 本年累计规模 ÷ 年度目标（比值，1 = 100%）
  time_progress: 时间进度 = 累计月数 ÷ 12（比值）
  schedule_gap_pp: 快慢于时间进度（个百分点）=（完成进度 − 时间进度）× 100
  yoy_growth: 同比增长（比值，0.1 = 10%）= 本期 ÷ 上年同期 − 1；无上年同期为空
  enterprises: 报送企业数（家，去重）
*/
-- 目标完成情况 under the counting rule and the target boundaries (目标口径).
with units as (
    select * from int_unit_actuals
),

city as (
    select * from int_city_actuals
),

targets as (
    select * from stg_scale_targets
),

city_targets as (
    select * from stg_city_targets
),

units_with_total as (
    select year, ytd_months, period_label, district, industry, actual_yi, enterprises,
    from units
    union all
    select year, ytd_months, period_label, district, '合计' as industry, sum(actual_yi), null,
    from units
    group by all
),

-- 合计 enterprises: distinct enterprises across industries in the unit (one firm may be in two),
-- counted exactly as a bitmap of the dense enterprise ids.
unit_enterprises_all as (
    select year, ytd_months, target_unit as district, bit_count(bitstring_agg(firm_id, 0, $firm_id_max)) as enterprises,
    from int_enterprise_records
    group by all
),

unit_rows as (
    select
        u.year, u.ytd_months, u.period_label, u.district, u.industry, u.actual_yi,
        coalesce(u.enterprises, e.enterprises, 0) as enterprises,
    from units_with_total as u
    left join unit_enterprises_all as e
        on u.industry = '合计' and e.year = u.year and e.ytd_months = u.ytd_months and e.district = u.district
),

all_rows as (
    select year, ytd_months, period_label, district, industry, actual_yi, enterprises, from unit_rows
    union all
    select year, ytd_months, period_label, '全市' as district, industry, actual_yi, enterprises, from city
),

unit_targets as (
    select year, district, industry, target_yi from targets
    union all
    select year, district, '合计', sum(target_yi) from targets group by all
),

-- 全市 targets are the document's own city row; 合计 is the sum of the three industries.
all_targets as (
    select * from unit_targets
    union all
    select year, '全市', industry, target_yi from city_targets
    union all
    select year, '全市', '合计', sum(target_yi) from city_targets group by all
),

joined as (
    select
        r.year,
        r.ytd_months,
        r.period_label,
        r.district,
        r.industry,
        r.actual_yi,
        t.target_yi,
        r.enterprises,
        r.ytd_months / 12.0 as time_progress,
    from all_rows as r
    left join all_targets as t using (year, district, industry)
),

final as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.industry,
        -- summed exactly as DECIMAL upstream; published as DOUBLE
        cast(cur.actual_yi as double) as actual_yi,
        cast(cur.target_yi as double) as target_yi,
        cur.actual_yi / cur.target_yi as attainment,
        cur.time_progress,
        (cur.actual_yi / cur.target_yi - cur.time_progress) * 100 as schedule_gap_pp,
        case when prev.actual_yi > 0 then cur.actual_yi / prev.actual_yi - 1 end as yoy_growth,
        cast(cur.enterprises as integer) as enterprises,
    from joined as cur
    left join joined as prev
        on prev.year = cur.year - 1
        and prev.ytd_months = cur.ytd_months
        and prev.district = cur.district
        and prev.industry = cur.industry
)

select * from final
order by year, ytd_months, district, industry
