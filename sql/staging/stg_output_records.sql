-- Accepted bureau records, typed, with values in 亿元 (firm_id: an integer per unit_code, for counting).
-- grain: one row per accepted record (year × period × unit_code × industry × output_district)
with source as (
    select * from raw_accepted
),

final as (
    select
        cast(year as integer) as year,
        cast(ytd_months as integer) as ytd_months,
        period_label,
        unit_code,
        unit_name,
        industry,
        reg_district,
        output_district,
        cast(ytd_value_wan as double) as ytd_value_wan,
        cast(ytd_value_wan as double) / 10000.0 as ytd_value_yi,
        source_file,
        cast(source_row as integer) as source_row,
        firm_id,
    from source
)

select * from final
