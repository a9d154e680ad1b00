/*
kind: table
description: 综合排名评分方法（本报告暂行方法，方案未载明考核评分办法）：各产业权重与封顶值；每产业一行
grain: one row per industry
columns:
  industry: 产业类别
  sort_order: 排列顺序
  weight: 在综合得分中的权重（比值，各产业等权）
  cap: 完成进度封顶值（比值）
  status: 方法状态：暂行
  status_note: 方法为暂行的原因代码：plan_states_no_scoring_rule = 方案未载明考核评分办法，本报告暂行
*/
-- 综合排名评分方法（暂行）: the weight and cap of each industry in the district score, as data.
-- The plan states targets but no scoring rule (its 考核方案 is not in the text), so this is the
-- report's own provisional method: equal weights over the industries of the dictionary, each
-- industry's attainment capped at $rank_cap. mart_district_ranking computes its score from this table.
with industries as (
    select industry, sort_order from stg_industries
),

counted as (
    select count(*) as industries from industries
),

final as (
    select
        industries.industry,
        cast(industries.sort_order as integer) as sort_order,
        cast(1.0 / counted.industries as double) as weight,
        cast($rank_cap as double) as cap,
        '暂行' as status,
        -- why the method is provisional, as a code; the report writes the words
        'plan_states_no_scoring_rule' as status_note,
    from industries
    cross join counted
)

select * from final
order by sort_order
