/*
kind: temp view
grain: one row per year × industry × band
*/
-- The plan's key-enterprise counts per size band (ref_band_targets), with the measure the plan counts by.
with source as (
    select * from ref_band_targets
),

final as (
    select
        cast(year as integer) as year,
        industry,
        band,
        threshold_yi,
        target_floor,
        target_stretch,
        qualifier,
        measure,
    from source
)

select * from final
