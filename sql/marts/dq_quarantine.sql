-- 退回记录: every rejected input row with every reason and its original values.
-- grain: one row per rejected input row
with source as (
    select * from raw_quarantine
),

final as (
    select
        source_file,
        cast(source_row as integer) as source_row,
        reasons,
        reasons_en,
        columns,
        cast(raw as json) as raw,
    from source
)

select * from final
order by source_file, source_row
