/*
kind: table
description: 有效记录中的单位名称及其编号（每个名称一行）
grain: one row per unit_name
columns:
  name_id: 单位名称编号（仅在本库内有效）
  unit_name: 单位名称
*/
-- The unit names of the accepted records, one per integer id (name_id of int_attributed_facts).
with names as (
    select * from stg_enterprise_names
),

final as (
    select
        name_id,
        unit_name,
    from names
)

select * from final
