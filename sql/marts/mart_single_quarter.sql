-- 单季值 derived from year-to-date values: Q1 = 1-3月, Q2 = 1-6月 − 1-3月, …
-- NULL where the previous period of the same year is missing; flagged where negative.
-- grain: one row per year × quarter × district (8 + 全市) × industry (3 + 合计)
with ytd as (
    select * from mart_attainment
),

final as (
    select
        cur.year,
        cast(cur.ytd_months / 3 as integer) as quarter,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.industry,
        case
            when cur.ytd_months = 3 then cur.actual_yi
            else cur.actual_yi - prev.actual_yi
        end as quarter_yi,
        coalesce(quarter_yi < 0, false) as is_negative,
    from ytd as cur
    left join ytd as prev
        on prev.year = cur.year
        and prev.ytd_months = cur.ytd_months - 3
        and prev.district = cur.district
        and prev.industry = cur.industry
)

select * from final
order by year, quarter, district, industry
