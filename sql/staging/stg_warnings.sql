/*
kind: temp view
grain: one row per warning
*/
-- Accepted rows (and whole files) that deserve a second look, typed.
with source as (
    select * from raw_warnings
),

final as (
    select
        source_file,
        cast(source_row as integer) as source_row,
        cast(year as integer) as year,
        cast(ytd_months as integer) as ytd_months,
        unit_code,
        industry,
        output_district,
        warning_code,
        message,
        message_en,
    from source
)

select * from final
