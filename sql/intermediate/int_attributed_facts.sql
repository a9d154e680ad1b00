/*
kind: table
description: 按统计口径归属后的企业记录的存储表（单位代码、名称以编号存储；查询请用视图 int_attributed_output）
grain: one row per accepted record
columns:
  year: 统计年度
  ytd_months: 累计月数：3、6、9、12
  period_label: 累计期：1-3月 … 1-12月
  firm_id: 企业编号（对应 int_enterprise_codes.unit_code；仅在本库内有效）
  name_id: 单位名称编号（对应 int_enterprise_names.unit_name；仅在本库内有效）
  industry: 产业类别
  reg_district: 注册地（区）
  output_district: 产值发生地（区）
  counting_rule: 适用的统计口径：output = 产值发生地，registration = 企业注册地
  current_district: 按统计口径归属的区（现行区划，新区单列）
  target_unit: 按统计口径归属的目标单位（目标口径，新区并入原区）
  ytd_value_wan: 本年累计产值（万元）
  ytd_value_yi: 本年累计产值（亿元）
  source_file: 来源文件名
  source_row: 来源文件中的行号（表头为第1行）
*/
-- Each accepted record attributed by the counting rule (统计口径):
-- 生物 where the output occurs (产值发生地), 互联网/新能源 where the enterprise is registered (企业注册地).
-- current_district keeps the new areas (现行区划); target_unit folds them into their parent (目标口径).
-- The enterprise is its integer ids (firm_id for unit_code, name_id for unit_name): the counts count
-- integers, and the ~800k distinct codes and names of a large run are not written once per record.
-- One grain, two forms: this stored table, and the view analysts read, int_attributed_output, which
-- joins the text back (int_enterprise_codes, int_enterprise_names); int_attributed_facts_narrow is
-- the build-time view of the few columns the enterprise counts read.
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
    left join districts on attributed.current_district = districts.district
)

select * from final
