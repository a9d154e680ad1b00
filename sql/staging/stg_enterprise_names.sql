/*
kind: temp view
grain: one row per unit_name
*/
-- Each distinct unit name of the accepted records with its integer id (name_id).
with source as (
    select * from raw_enterprise_names
),

final as (
    select
        name_id,
        unit_name,
    from source
)

select * from final
