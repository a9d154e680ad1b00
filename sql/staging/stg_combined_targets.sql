/*
kind: temp view
grain: one row per year
*/
-- The plan's combined (三大产业合计) scale targets (亿元), as stated in the document.
with source as (
    select * from ref_combined_targets
),

final as (
    select
        cast(year as integer) as year,
        cast(target_yi as decimal(18, 4)) as target_yi,  -- exact sums, as the scale targets
    from source
)

select * from final
