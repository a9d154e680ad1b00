/*
kind: table
description: 各区综合排名：三个产业完成进度（封顶）的算术平均；每年度×累计期×目标单位一行
grain: one row per year × ytd_months × target unit, for years with targets
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  district: 目标单位
  score: 综合得分（比值，1 = 100%）
  rank: 名次（1 = 第一）
  prev_rank: 同年上一累计期名次；1-3月为空
  attainment_bio: 生物产业完成进度（封顶后，比值）
  attainment_internet: 互联网产业完成进度（封顶后，比值）
  attainment_new_energy: 新能源产业完成进度（封顶后，比值）
  cap: 完成进度封顶值（比值）
  method: 评分方法代码：capped_weighted_mean = 各产业完成进度封顶后按 mart_ranking_method 的权重加权平均，得分相同则名次并列
  prev_ytd_months: prev_rank 所对应的同年上一累计期的累计月数（1-12月对应9）
  prev_period_label: prev_rank 所对应的累计期（如1-9月），表述为“比1-9月前进/后退”
  rank_change: 名次变化（位）= prev_rank − rank，正数为前进、负数为后退
  combined_actual_yi: 三大产业合计本年累计规模（亿元）
  combined_target_yi: 三大产业合计年度目标（亿元）
  combined_attainment: 合计完成进度 = 合计规模 ÷ 合计目标（比值）
  combined_rank: 按合计完成进度的名次
  outranked_better_combined: 综合得分名次低于本区、但合计完成进度高于本区的区个数
  outranked_better_combined_districts: 上述各区名称（按得分名次，以“、”分隔）；无则为空
  score_minus_combined_pp: 综合得分高于（负数为低于）合计完成进度（个百分点）：等权计分抬高或压低了该区
*/
-- 各区综合排名: score = Σ over the industries of weight × min(attainment, cap), with the weights and
-- cap of mart_ranking_method (equal weights, the run's rank cap), so that one industry far over a small
-- target cannot carry a district. Beside it, the district's combined attainment (合计 actual ÷ 合计
-- target), its rank on that measure, and the districts the score puts below this one although their
-- combined attainment is higher — the cases where the two measures disagree.
-- prev_rank is the rank in the previous period of the same year (targets are annual): the rank at
-- prev_period_label (1-9月 for 1-12月), not the same quarter of last year.
-- No bound parameters here: the per-industry columns are a dynamic PIVOT (one column per industry of
-- the dictionary), which DuckDB runs as several statements, and those take no parameters.
with attainment as (
    select * from mart_attainment
    where district <> '全市' and industry <> '合计' and target_yi is not null
),

combined as (
    select year, ytd_months, district, actual_yi, target_yi, attainment,
    from mart_attainment
    where district <> '全市' and industry = '合计' and target_yi is not null
),

method as (
    select * from mart_ranking_method
),

industries as (
    select * from stg_industries
),

components as (
    select
        a.year,
        a.ytd_months,
        a.period_label,
        a.district,
        -- added in the dictionary's order (not in whatever order threads meet them): the same score every run
        list_sum(list(m.weight * least(a.attainment, m.cap) order by m.sort_order)) as score,
    from attainment as a
    inner join method as m using (industry)
    group by all
),

-- each industry's capped attainment as a column attainment_<industry_en> (stg_industries), one per
-- industry of the dictionary even where no district has a target for it
by_industry as (
    pivot (
        select
            a.year,
            a.ytd_months,
            a.district,
            'attainment_' || i.industry_en as component,
            least(a.attainment, m.cap) as capped,
        from industries as i
        left join attainment as a on i.industry = a.industry
        left join method as m on i.industry = m.industry
    )
    on component
    using max(capped)
    group by year, ytd_months, district
),

ranked as (
    select
        c.*,
        cast(rank() over (partition by c.year, c.ytd_months order by c.score desc) as integer) as rank,
        t.actual_yi as combined_actual_yi,
        t.target_yi as combined_target_yi,
        t.attainment as combined_attainment,
        cast(rank() over (partition by c.year, c.ytd_months order by t.attainment desc) as integer)
            as combined_rank,
    from components as c
    left join combined as t using (year, ytd_months, district)
),

-- for each district, the districts ranked below it by the score but with a higher combined attainment
outranked as (
    select
        hi.year,
        hi.ytd_months,
        hi.district,
        count(lo.district) as outranked_better_combined,
        string_agg(lo.district, '、' order by lo.rank, lo.district) as outranked_better_combined_districts,
    from ranked as hi
    left join ranked as lo
        on
            hi.year = lo.year
            and hi.ytd_months = lo.ytd_months
            and hi.rank < lo.rank
            and hi.combined_attainment < lo.combined_attainment
    group by all
),

final as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.score,
        cur.rank,
        max(cur.rank) over quarter_before as prev_rank,
        -- sqlfluff reads the exclude list below as unqualified references (hence its RF02 exemption)
        b.* exclude (year, ytd_months, district),  -- noqa: RF02
        (select max(m.cap) from method as m) as cap,
        -- the method's code; its words (weights, cap, ties) are the report's (pipelines/report/scoring.py)
        'capped_weighted_mean' as method,
        max(cur.ytd_months) over quarter_before as prev_ytd_months,
        max(cur.period_label) over quarter_before as prev_period_label,
        max(cur.rank) over quarter_before - cur.rank as rank_change,
        cur.combined_actual_yi,
        cur.combined_target_yi,
        cur.combined_attainment,
        cur.combined_rank,
        cast(o.outranked_better_combined as integer) as outranked_better_combined,
        o.outranked_better_combined_districts,
        (cur.score - cur.combined_attainment) * 100 as score_minus_combined_pp,
    from ranked as cur
    left join outranked as o
        on
            cur.year = o.year
            and cur.ytd_months = o.ytd_months
            and cur.district = o.district
    left join by_industry as b
        on
            cur.year = b.year
            and cur.ytd_months = b.ytd_months
            and cur.district = b.district
    -- the same district one quarter earlier in the same year (exactly ytd_months − 3; none if it is missing)
    window quarter_before as (
        partition by cur.year, cur.district order by cur.ytd_months
        range between 3 preceding and 3 preceding
    )
)

select * from final
order by year, ytd_months, rank, district
