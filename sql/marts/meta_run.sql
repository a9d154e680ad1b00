-- 本次运行: the run that built this marts file, the latest period, whether the data is synthetic, and
-- the source credit a report prints (深圳市统计局 only for real data).
-- grain: one row
with periods as (
    select * from int_periods
),

latest as (
    select year, ytd_months from periods order by year desc, ytd_months desc limit 1
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
        case when cast($is_synthetic as boolean)
            then '模拟数据（由 szei sample 按固定种子生成，非深圳市统计局数据）'
            else '深圳市统计局'
        end as source_credit,
)

select * from final
