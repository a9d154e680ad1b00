-- The plan's city (全市) scale targets as stated in the document (亿元).
-- grain: one row per year × industry
with source as (
    select * from ref_scale_targets
),

final as (
    select
        cast(year as integer) as year,
        industry,
        cast(target_yi as double) as target_yi,
    from source
    where district = '全市'
)

select * from final
