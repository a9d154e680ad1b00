/*
kind: temp view
grain: one row
*/
-- The plan's span: its base year (the year before its first target year, 2010 for 深府办〔2010〕98号)
-- and its last target year, from the targets themselves.
with targets as (
    select * from stg_scale_targets
),

final as (
    select
        min(year) - 1 as base_year,
        max(year) as final_year,
    from targets
)

select * from final
