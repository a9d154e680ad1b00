/*
description: 按统计口径归属 / records attributed by the counting rule
*/
-- Blocking: every accepted record is attributed by its industry's counting rule (stg_industries:
-- output → its output district, registration → its registration district) and reaches a target unit
-- (new areas → parent).
select
    a.year, a.ytd_months, a.unit_code, a.industry, a.reg_district, a.output_district,
    a.current_district, a.target_unit, a.source_file, a.source_row
from int_attributed_output as a
inner join stg_industries as i using (industry)
left join stg_districts as d on a.current_district = d.district
where
    a.current_district is distinct from
    case i.counting_rule when 'output' then a.output_district when 'registration' then a.reg_district end
    or a.target_unit is null
    or a.target_unit is distinct from d.target_unit
