-- The stored copy of the attributed records (int_attributed_records), with the enterprise's code and
-- name as integer ids: read through the view int_attributed_output, which joins the text back
-- (int_enterprise_codes, int_enterprise_names). Ids keep the ~800k distinct codes and names of a
-- large run from being written once per record.
-- grain: one row per accepted record
with attributed as (
    select * from int_attributed_records
),

final as (
    select
        year,
        ytd_months,
        period_label,
        firm_id,
        name_id,
        industry,
        reg_district,
        output_district,
        counting_rule,
        current_district,
        target_unit,
        ytd_value_wan,
        ytd_value_yi,
        source_file,
        source_row,
    from attributed
)

select * from final
