-- Each accepted record attributed by the counting rule (统计口径):
-- 生物 where the output occurs (产值发生地), 互联网/新能源 where the enterprise is registered (企业注册地).
-- current_district keeps the new areas (现行区划); target_unit folds them into their parent (目标口径).
-- The attribution itself is int_attributed_records (the same rows with an integer enterprise id).
-- grain: one row per accepted record
with attributed as (
    select * from int_attributed_records
),

final as (
    select
        year,
        ytd_months,
        period_label,
        unit_code,
        unit_name,
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
