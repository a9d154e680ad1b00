/*
kind: table
description: 退回记录：每个被退回的输入行一行，含全部原因与原始值
grain: one row per rejected input row
columns:
  source_file: 文件名
  source_row: 行号（表头为第1行，首条记录为第2行）
  reasons: 全部退回原因（中文，以“；”分隔）
  reasons_en: 全部退回原因（英文）
  columns: 涉及的列
  raw: 原始值（JSON，按读入原样）
*/
-- 退回记录: every rejected input row with every reason and its original values.
with source as (
    select * from stg_quarantine
),

final as (
    select
        source_file,
        source_row,
        reasons,
        reasons_en,
        columns,
        raw,
    from source
)

select * from final
order by source_file, source_row
