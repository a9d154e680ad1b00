/*
kind: table
description: 提示记录：接受但需核实的行（累计值下降、疑似单位错误、新区早于其生效年份、在 Excel 中被隐藏的行），以及关于整个文件的提示（隐藏的工作表、未读取的其他工作表；行号等为空）
grain: one row per accepted input row × warning
columns:
  source_file: 文件名
  source_row: 行号（表头为第1行）；关于整个文件的提示为空
  year: 统计年度
  ytd_months: 累计月数
  unit_code: 单位代码
  industry: 产业类别
  output_district: 产值发生地
  warning_code: 提示代码
  message: 提示（中文）
  message_en: 提示（英文）
*/
-- 提示记录: accepted rows that deserve a second look (YTD falling, a 10× jump, a new area before the year it takes effect).
with source as (
    select * from stg_warnings
),

final as (
    select
        source_file,
        source_row,
        year,
        ytd_months,
        unit_code,
        industry,
        output_district,
        warning_code,
        message,
        message_en,
    from source
)

select * from final
order by source_file, source_row, warning_code
