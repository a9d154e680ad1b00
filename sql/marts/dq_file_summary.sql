/*
kind: table
description: 文件接收与行数核对：读入 = 接受 + 退回；output/ 下每个条目一行（含子文件夹中的文件、拒收与未读取的文件）
grain: one row per entry under output/ (files read, rejected whole, or ignored with why)
columns:
  source_file: 文件名（原样；子文件夹中的文件为 output/ 下的相对路径，如 南山/2012_1-3月.csv）
  sha256: 文件字节的 SHA-256
  encoding: 识别出的编码（utf-8、utf-8-sig、gb18030、xlsx）
  sheet: xlsx 读取的工作表
  value_unit: 产值列表头的计量单位（已折算为万元）
  is_revision: 是否修订文件（文件名含“修订”）
  rows_read: 读入行数（行）
  rows_accepted: 接受行数（行）
  rows_rejected: 退回行数（行）
  rows_warned: 接受但有提示的行数（行）
  rows_replaced: 被后续修订文件替换的行数（行）
  file_error: 整个文件无法读取时的原因
  status: 处理状态：read（已读取）、rejected（整个文件拒收，原因见 status_reason）、ignored（未读取，如隐藏文件、Office 锁文件、非数据文件类型，原因见 status_reason）
  status_reason: 拒收或未读取的原因（中文）；已读取的文件为空
  status_reason_en: 拒收或未读取的原因（英文）
*/
-- 文件接收与行数核对: every delivered file, its hash and row accounting (rows_read = accepted + rejected).
with source as (
    select * from stg_file_summary
),

final as (
    select
        source_file,
        sha256,
        encoding,
        sheet,
        value_unit,
        is_revision,
        rows_read,
        rows_accepted,
        rows_rejected,
        rows_warned,
        rows_replaced,
        file_error,
        status,
        status_reason,
        status_reason_en,
    from source
)

select * from final
order by source_file
