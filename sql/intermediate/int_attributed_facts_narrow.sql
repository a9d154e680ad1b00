/*
kind: temp view
grain: one row per accepted record (as int_attributed_facts)
*/
-- The columns the enterprise counts and the comparable-scope growth read, with the integer
-- enterprise id (firm_id) in place of unit_code: a build-time view, never written to the file.
-- A view of the stored int_attributed_facts (already attributed; its readers scan the compressed file),
-- not a copy: a 10M-row temporary table held ~0.3 GB of memory through the enterprise counts.
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
