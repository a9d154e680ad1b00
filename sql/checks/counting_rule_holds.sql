/*
description: 按统计口径归属 / records attributed by the counting rule
*/
-- Blocking: every accepted record is attributed by the counting rule — 生物 to its output district,
-- 互联网/新能源 to their registration district — and reaches a target unit (new areas → parent).
select
    a.year, a.ytd_months, a.unit_code, a.industry, a.reg_district, a.output_district,
    a.current_district, a.target_unit, a.source_file, a.source_row
from int_attributed_output as a
inner join stg_industries as i using (industry)
left join stg_districts as d on a.current_district = d.district
where
    a.current_district is distinct from
    case when a.industry = '生物' then a.output_district else a.reg_district end
    or i.counting_rule is distinct from case when a.industry = '生物' then 'output' else 'registration' end
    or a.target_unit is null
    or a.target_unit is distinct from d.target_unit
