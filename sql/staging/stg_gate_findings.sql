/*
kind: temp view
grain: one row per finding
*/
-- The publication gate's findings (pipelines.validation.gate), typed.
with source as (
    select * from raw_gate
),

final as (
    select
        check_code,
        cast(blocking as boolean) as blocking,
        cast(year as integer) as year,
        cast(ytd_months as integer) as ytd_months,
        source_file,
        message,
        message_en,
    from source
)

select * from final
