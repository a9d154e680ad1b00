/*
kind: temp view
grain: one row per year of the plan
*/
-- The plan's own years (ref_plan_years): its base year and its target years.
with source as (
    select * from ref_plan_years
),

final as (
    select
        cast(year as integer) as year,
        role,
    from source
)

select * from final
