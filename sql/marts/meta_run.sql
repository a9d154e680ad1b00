-- 本次运行: the run that built this marts file, the latest period, and whether the data is synthetic.
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
)

select * from final
