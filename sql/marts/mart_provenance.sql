/*
kind: table
description: 数据来源：各统计期由哪些文件提供、现行与被修订替换的记录数、装载运行
grain: one row per year × ytd_months × source file
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  source_file: 来源文件名
  sha256: 来源文件 SHA-256
  records: 现行有效记录数（条）
  replaced_records: 被修订文件替换的记录数（条）
  run_id: 装载运行编号
  loaded_at: 装载时间
*/
-- 数据来源: which file supplied each period, how many of its records are in force or were
-- replaced by a revision, and in which run it was loaded.
with accepted as (
    select year, ytd_months, source_file, 1 as in_force, 0 as replaced, from int_attributed_facts
),

replaced as (
    select year, ytd_months, source_file, 0 as in_force, 1 as replaced,
    from stg_replaced_records
),

files as (
    select source_file, sha256 from stg_file_summary
),

final as (
    select
        both_sides.year,
        both_sides.ytd_months,
        '1-' || cast(both_sides.ytd_months as varchar) || '月' as period_label,
        both_sides.source_file,
        files.sha256,
        cast(sum(both_sides.in_force) as integer) as records,
        cast(sum(both_sides.replaced) as integer) as replaced_records,
        cast($run_id as varchar) as run_id,
        cast($built_at as timestamp) as loaded_at,
    from (
        select * from accepted
        union all
        select * from replaced
    ) as both_sides
    left join files using (source_file)
    group by all
)

select * from final
order by year, ytd_months, source_file
