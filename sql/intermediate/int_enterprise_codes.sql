-- The unit codes of the accepted records, one per integer id (firm_id of int_attributed_facts).
-- grain: one row per unit_code
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
