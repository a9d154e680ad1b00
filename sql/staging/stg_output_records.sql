/*
kind: temp view
grain: one row per accepted record (year × period × unit_code × industry × output_district)
*/
-- Accepted bureau records, typed, with values in 亿元. The enterprise's code and name come as integer ids
-- (firm_id for unit_code, name_id for unit_name; the text is in stg_enterprise_codes / stg_enterprise_names).
with source as (
    select * from raw_accepted
),

final as (
    select
        cast(year as integer) as year,
        cast(ytd_months as integer) as ytd_months,
        period_label,
        firm_id,
        name_id,
        industry,
        reg_district,
        output_district,
        -- exact amounts: DECIMAL sums do not depend on the order DuckDB's threads add them in, so the
        -- same input always publishes the same figures (validation rejects values this cannot hold)
        cast(ytd_value_wan as decimal(18, 6)) as ytd_value_wan,
        cast(ytd_value_wan as decimal(18, 6)) * 0.0001 as ytd_value_yi,
        source_file,
        cast(source_row as integer) as source_row,
    from source
)

select * from final
