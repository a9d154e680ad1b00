/*
description: 按统计口径归属 / records attributed by the counting rule
*/
-- Blocking: every accepted record is attributed by its industry's counting rule (stg_industries:
-- output → its output district, registration → its registration district) and reaches a target unit
-- (new areas → parent).
-- Read from the stored int_attributed_facts; the unit code is looked up for the failing records only
-- (int_attributed_output would join 10M records to their codes and names to show none of them).
with facts as (
    select * from int_attributed_facts
),

industries as (
    select * from stg_industries
),

districts as (
    select * from stg_districts
),

codes as (
    select * from int_enterprise_codes
),

failing as (
    select facts.*
    from facts
    inner join industries using (industry)
    left join districts on facts.current_district = districts.district
    where
        facts.current_district is distinct from
        case industries.counting_rule
            when 'output' then facts.output_district
            when 'registration' then facts.reg_district
        end
        or facts.target_unit is null
        or facts.target_unit is distinct from districts.target_unit
)

select
    failing.year, failing.ytd_months, codes.unit_code, failing.industry, failing.reg_district,
    failing.output_district, failing.current_district, failing.target_unit, failing.source_file,
    failing.source_row,
from failing
left join codes using (firm_id)
