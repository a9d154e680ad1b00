/*
kind: table
description: 发布闸门的发现：不完整的统计期（基础文件整个被拒收、报送了却没有一条记录被接收、冲突记录过多、只有修订文件、累计合计下降或骤降）、缺少文件的统计期（不阻断）与数值不可信的文件（疑似计量单位错误）；阻断性的发现使本次结果不予发布
grain: one row per finding
columns:
  check_code: 检查代码（file_rejected_whole、revision_only、ytd_total_falls、records_collapse、total_collapse、file_unit_implausible、file_copies_other_period、cell_collapse、cell_value_collapse、cell_value_jump、unit_slip_material、period_vanished、period_conflicts、file_rejected_unplaced、period_missing、period_gone）
  blocking: 是否阻断发布
  year: 统计年度（无法判断时为空）
  ytd_months: 累计月数（无法判断时为空）
  source_file: 涉及的文件名（针对整个统计期时为空）
  message: 说明（中文）：统计期、文件与缺少或不可信之处
  message_en: 说明（英文）
*/
-- 发布闸门: what the gate found about each reporting period and file — incomplete periods (a base file
-- rejected whole, only a 修订 file, a falling or collapsing total) and implausible files (values off by
-- a unit factor). Blocking findings stop publication (check publication_gate); the others are reported.
with source as (
    select * from stg_gate_findings
),

final as (
    select
        check_code,
        blocking,
        year,
        ytd_months,
        source_file,
        message,
        message_en,
    from source
)

select * from final
order by blocking desc, year asc, ytd_months asc, source_file asc, check_code asc
