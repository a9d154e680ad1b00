/*
kind: temp view
grain: one row per replaced record
*/
-- Records a later revision file replaced, with the file that replaced them, typed.
with source as (
    select * from raw_replaced
),

final as (
    select
        source_file,
        cast(source_row as integer) as source_row,
        cast(year as integer) as year,
        cast(ytd_months as integer) as ytd_months,
        unit_code,
        industry,
        reg_district,
        output_district,
        cast(ytd_value_wan as double) as ytd_value_wan,
        replaced_by_file,
    from source
)

select * from final
