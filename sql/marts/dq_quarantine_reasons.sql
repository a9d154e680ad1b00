/*
kind: table
description: 退回原因明细：每行每个原因一行
grain: one row per rejected input row × reason
columns:
  source_file: 文件名
  source_row: 行号（表头为第1行）
  reason_code: 原因代码
  reason: 原因（中文）
  column: 涉及的列
*/
-- 退回原因明细: one row per reason of a rejected row (a row may have several).
with source as (
    select * from stg_quarantine_reasons
),

final as (
    select
        source_file,
        source_row,
        reason_code,
        reason,
        "column",
    from source
)

select * from final
order by source_file, source_row, reason_code
