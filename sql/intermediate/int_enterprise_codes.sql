/*
kind: table
description: 有效记录中的单位代码及其编号（每个单位代码一行）
grain: one row per unit_code
columns:
  firm_id: 企业编号（仅在本库内有效）
  unit_code: 单位代码（已规范：大写，去除“-”和空格）
*/
-- The unit codes of the accepted records, one per integer id (firm_id of int_attributed_facts).
with codes as (
    select * from stg_enterprise_codes
),

final as (
    select
        firm_id,
        unit_code,
    from codes
)

select * from final
