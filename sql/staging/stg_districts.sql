/*
kind: temp view
grain: one row per district (the 8 target units and the new areas)
*/
-- The district dictionary (ref_districts): each district's target unit (a new area folds into its parent).
with source as (
    select * from ref_districts
),

final as (
    select
        district,
        target_unit,
        is_target_unit,
        sort_order,
    from source
)

select * from final
