/*
kind: temp table
grain: one row per accepted record (as int_attributed_facts)
*/
-- The columns the enterprise counts and the comparable-scope growth read, with the integer
-- enterprise id (firm_id) in place of unit_code: a build-time temporary table, never written to the file.
-- Read from the stored int_attributed_facts (already attributed; a scan of the file, not of the records in memory).
with attributed as (
    select * from int_attributed_facts
),

final as (
    select
        year,
        ytd_months,
        industry,
        target_unit,
        firm_id,
        ytd_value_yi,
    from attributed
)

select * from final
