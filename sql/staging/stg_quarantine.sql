/*
kind: temp view
grain: one row per rejected input row
*/
-- Rejected input rows with every reason and the original values (JSON), typed.
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
