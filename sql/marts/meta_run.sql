/*
kind: table
description: 本次运行信息（一行）
grain: one row
columns:
  run_id: 运行编号
  built_at: 生成时间（UTC；报告封面换算为北京时间）
  is_synthetic: 是否为模拟数据
  data_label: 数据标注：模拟数据或空
  latest_year: 最新统计年度
  latest_ytd_months: 最新累计月数
  szei_version: szei 版本
  rank_cap: 排名评分的完成进度封顶值（比值）
  source_credit: 资料来源署名：真实数据为“深圳市统计局”，模拟数据注明非统计局数据
*/
-- 本次运行: the run that built this marts file, the latest period, whether the data is synthetic, and
-- the source credit a report prints (深圳市统计局 only for real data).
with periods as (
    select * from int_periods
),

latest as (
    select year, ytd_months from periods
    order by year desc, ytd_months desc limit 1
),

final as (
    select
        cast($run_id as varchar) as run_id,
        cast($built_at as timestamp) as built_at,
        cast($is_synthetic as boolean) as is_synthetic,
        case when cast($is_synthetic as boolean) then '模拟数据' else '' end as data_label,
        (select year from latest) as latest_year,
        (select ytd_months from latest) as latest_ytd_months,
        cast($szei_version as varchar) as szei_version,
        cast($rank_cap as double) as rank_cap,
        -- the credit every source line carries: the bureau only for real data
        case
            when cast($is_synthetic as boolean)
                then '模拟数据（由 szei sample 按固定种子生成，非深圳市统计局数据）'
            else '深圳市统计局'
        end as source_credit,
)

select * from final
