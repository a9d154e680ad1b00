-- 退回原因明细: one row per reason of a rejected row (a row may have several).
-- grain: one row per rejected input row × reason
with source as (
    select * from raw_quarantine_reasons
),

final as (
    select
        source_file,
        cast(source_row as integer) as source_row,
        reason_code,
        reason,
        "column",
    from source
)

select * from final
order by source_file, source_row, reason_code
