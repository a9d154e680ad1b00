/*
kind: table
description: 被修订文件替换的记录（不计入数据，留作来源记录），含替换它的文件
grain: one row per replaced input record
columns:
  source_file: 原文件名
  source_row: 原文件中的行号（表头为第1行）
  year: 统计年度
  ytd_months: 累计月数
  unit_code: 单位代码
  industry: 产业类别
  reg_district: 注册地
  output_district: 产值发生地
  ytd_value_wan: 被替换的本年累计产值（万元）
  replaced_by_file: 替换它的修订文件名
*/
-- 被修订替换的记录: records a later revision file (名称含“修订”) replaced, with the file that replaced
-- them. Not errors: they stay here as provenance, and never enter the figures.
with source as (
    select * from stg_replaced_records
),

final as (
    select
        source_file,
        source_row,
        year,
        ytd_months,
        unit_code,
        industry,
        reg_district,
        output_district,
        ytd_value_wan,
        replaced_by_file,
    from source
)

select * from final
order by source_file, source_row
