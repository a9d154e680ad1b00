/*
kind: temp view
grain: one row per accepted record
*/
-- Each accepted record attributed by the counting rule (统计口径):
-- 生物 where the output occurs (产值发生地), 互联网/新能源 where the enterprise is registered (企业注册地).
-- current_district keeps the new areas (现行区划); target_unit folds them into their parent (目标口径).
-- The enterprise is its integer ids (firm_id for unit_code, name_id for unit_name): the counts count
-- integers. A build-time view, never written to the file (int_attributed_facts is the stored copy).
with records as (
    select * from stg_output_records
),

industries as (
    select * from stg_industries
),

districts as (
    select * from stg_districts
),

attributed as (
    select
        records.*,
        industries.counting_rule,
        case industries.counting_rule
            when 'output' then records.output_district
            else records.reg_district
        end as current_district,
    from records
    inner join industries using (industry)
),

final as (
    select
        attributed.year,
        attributed.ytd_months,
        attributed.period_label,
        attributed.firm_id,
        attributed.name_id,
        attributed.industry,
        attributed.reg_district,
        attributed.output_district,
        attributed.counting_rule,
        attributed.current_district,
        districts.target_unit,
        attributed.ytd_value_wan,
        attributed.ytd_value_yi,
        attributed.source_file,
        attributed.source_row,
    from attributed
    left join districts on districts.district = attributed.current_district
)

select * from final
