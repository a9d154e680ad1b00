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
-- The stored copy of the attributed records (int_attributed_records), with the enterprise's code and
-- name as integer ids: read through the view int_attributed_output, which joins the text back
-- (int_enterprise_codes, int_enterprise_names). Ids keep the ~800k distinct codes and names of a
-- large run from being written once per record.
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
