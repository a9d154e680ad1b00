-- Each accepted record attributed by the counting rule (统计口径):
-- 生物 where the output occurs (产值发生地), 互联网/新能源 where the enterprise is registered (企业注册地).
-- current_district keeps the new areas (现行区划); target_unit folds them into their parent (目标口径).
-- A view: the stored int_attributed_facts with the unit code and name joined back from their ids
-- (left joins: every stored record is shown, as in the table this view replaced; the attribution
-- itself is int_attributed_records).
-- grain: one row per accepted record
with facts as (
    select * from int_attributed_facts
),

codes as (
    select * from int_enterprise_codes
),

names as (
    select * from int_enterprise_names
),

final as (
    select
        facts.year,
        facts.ytd_months,
        facts.period_label,
        codes.unit_code,
        names.unit_name,
        facts.industry,
        facts.reg_district,
        facts.output_district,
        facts.counting_rule,
        facts.current_district,
        facts.target_unit,
        cast(facts.ytd_value_wan as double) as ytd_value_wan,
        cast(facts.ytd_value_yi as double) as ytd_value_yi,
        facts.source_file,
        facts.source_row,
    from facts
    left join codes using (firm_id)
    left join names using (name_id)
)

select * from final
