/*
kind: temp view
grain: one row per band
*/
-- The size bands of the plan (ref_bands) with their thresholds in 亿元, largest first.
with source as (
    select * from ref_bands
),

final as (
    select
        band,
        threshold_yi,
        sort_order,
    from source
)

select * from final
