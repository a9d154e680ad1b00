-- 数据来源: which file supplied each period, how many of its records are in force or were
-- replaced by a revision, and in which run it was loaded.
-- grain: one row per year × ytd_months × source file
with accepted as (
    select year, ytd_months, source_file, 1 as in_force, 0 as replaced, from int_attributed_facts
),

replaced as (
    select cast(year as integer) as year, cast(ytd_months as integer) as ytd_months, source_file,
        0 as in_force, 1 as replaced,
    from raw_replaced
),

files as (
    select source_file, sha256 from raw_file_summary
),

final as (
    select
        both_sides.year,
        both_sides.ytd_months,
        '1-' || cast(both_sides.ytd_months as varchar) || '月' as period_label,
        both_sides.source_file,
        files.sha256,
        cast(sum(in_force) as integer) as records,
        cast(sum(replaced) as integer) as replaced_records,
        cast($run_id as varchar) as run_id,
        cast($built_at as timestamp) as loaded_at,
    from (select * from accepted union all select * from replaced) as both_sides
    left join files using (source_file)
    group by all
)

select * from final
order by year, ytd_months, source_file
