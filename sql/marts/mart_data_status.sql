/*
kind: table
description: 数据状态：各统计期的来源文件数、是否经修订文件更新（初步数/修订数）；每年度×累计期一行
grain: one row per year × ytd_months
columns:
  year: 统计年度
  ytd_months: 累计月数
  period_label: 累计期
  files: 提供本期数据的文件数（个）
  revision_files: 其中修订文件数（个）
  records: 现行有效记录数（条）
  replaced_records: 被修订文件替换的记录数（条）
  status: 数据状态：初步数（未经修订）或修订数（已按修订文件更新）
*/
-- 数据状态: for each reporting period, the files that supplied it and whether a revision (修订) file
-- replaced any of its records. Quarterly figures are preliminary (初步数) until revised; a period whose
-- records a 修订 file replaced is 修订数. Later revisions are taken in at the next run.
with provenance as (
    select * from mart_provenance
),

files as (
    select source_file, is_revision from dq_file_summary
),

final as (
    select
        p.year,
        p.ytd_months,
        p.period_label,
        cast(count(distinct p.source_file) as integer) as files,
        cast(count(distinct p.source_file) filter (where f.is_revision and p.records > 0) as integer)
            as revision_files,
        cast(sum(p.records) as integer) as records,
        cast(sum(p.replaced_records) as integer) as replaced_records,
        case when sum(p.replaced_records) > 0 then '修订数' else '初步数' end as status,
    from provenance as p
    left join files as f using (source_file)
    group by p.year, p.ytd_months, p.period_label
)

select * from final
order by year, ytd_months
