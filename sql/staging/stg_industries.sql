/*
kind: temp view
grain: one row per industry
*/
-- The industries of the dictionary (ref_industries) with their counting rule (统计口径) and order.
with source as (
    select * from ref_industries
),

final as (
    select
        industry,
        industry_en,
        counting_rule,
        sort_order,
    from source
)

select * from final
