/*
kind: temp view
grain: one row per year × industry
*/
-- The plan's city (全市) scale targets as stated in the document (亿元).
with source as (
    select * from ref_scale_targets
),

final as (
    select
        cast(year as integer) as year,
        industry,
        cast(target_yi as decimal(18, 4)) as target_yi,  -- exact sums (合计)
    from source
    where district = '全市'
)

select * from final
