/*
kind: temp view
grain: one row per year × target unit × industry
*/
-- The plan's district scale targets (亿元), without the 全市 row (kept aside for the sum check).
with source as (
    select * from ref_scale_targets
),

final as (
    select
        cast(year as integer) as year,
        district,
        industry,
        cast(target_yi as decimal(18, 4)) as target_yi,  -- exact sums (合计)
    from source
    where district <> '全市'
)

select * from final
