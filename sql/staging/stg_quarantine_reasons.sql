/*
kind: temp view
grain: one row per rejected row × reason
*/
-- Each reason of each rejected row, typed.
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
