-- 数据状态: for each reporting period, the files that supplied it and whether a revision (修订) file
-- replaced any of its records. Quarterly figures are preliminary (初步数) until revised; a period whose
-- records a 修订 file replaced is 修订数. Later revisions are taken in at the next run.
-- grain: one row per year × ytd_months
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
