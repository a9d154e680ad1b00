/*
kind: view
description: 按统计口径归属后的企业记录（每条有效记录一行，产值：亿元/万元；视图：int_attributed_facts 连接单位代码与名称）
grain: one row per accepted record
columns:
  year: 统计年度
  ytd_months: 累计月数：3、6、9、12
  period_label: 累计期：1-3月 … 1-12月
  unit_code: 单位代码（已规范：大写，去除“-”和空格）
  unit_name: 单位名称
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
-- A view: the stored int_attributed_facts (where the attribution is made) with the unit code and name
-- joined back from their ids (left joins: every stored record is shown, as in the table this view replaced).
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
