-- The unit names of the accepted records, one per integer id (name_id of int_attributed_facts).
-- grain: one row per unit_name
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
