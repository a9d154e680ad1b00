/*
kind: temp view
grain: one row per unit_code
*/
-- Each distinct unit code of the accepted records with its integer id (firm_id).
with source as (
    select * from raw_enterprise_codes
),

final as (
    select
        firm_id,
        unit_code,
    from source
)

select * from final
