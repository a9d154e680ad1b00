-- 各区综合排名: score = mean over the three industries of min(attainment, $rank_cap),
-- so that one industry far over a small target cannot carry a district. Equal weights.
-- prev_rank is the rank in the previous period of the same year (targets are annual).
-- grain: one row per year × ytd_months × target unit, for years with targets
with attainment as (
    select * from mart_attainment
    where district <> '全市' and industry <> '合计' and target_yi is not null
),

components as (
    select
        year,
        ytd_months,
        period_label,
        district,
        max(least(attainment, $rank_cap)) filter (where industry = '生物') as attainment_bio,
        max(least(attainment, $rank_cap)) filter (where industry = '互联网') as attainment_internet,
        max(least(attainment, $rank_cap)) filter (where industry = '新能源') as attainment_new_energy,
    from attainment
    group by all
),

scored as (
    select
        *,
        (attainment_bio + attainment_internet + attainment_new_energy) / 3.0 as score,
    from components
),

ranked as (
    select
        *,
        cast(rank() over (partition by year, ytd_months order by score desc) as integer) as rank,
    from scored
),

final as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.score,
        cur.rank,
        prev.rank as prev_rank,
        cur.attainment_bio,
        cur.attainment_internet,
        cur.attainment_new_energy,
        cast($rank_cap as double) as cap,
        '综合得分 = 生物、互联网、新能源三个产业年度目标完成进度的算术平均，各产业完成进度以 '
            || cast(round($rank_cap * 100) as integer) || '% 封顶；得分相同则名次并列。' as method,
    from ranked as cur
    left join ranked as prev
        on prev.year = cur.year
        and prev.ytd_months = cur.ytd_months - 3
        and prev.district = cur.district
)

select * from final
order by year, ytd_months, rank, district
