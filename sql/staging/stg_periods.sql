/*
kind: temp view
grain: one row per reporting period
*/
-- The year-to-date reporting periods (ref_periods): label, months covered, the quarter it ends.
with source as (
    select * from ref_periods
),

final as (
    select
        period_label,
        cast(ytd_months as integer) as ytd_months,
        cast(quarter as integer) as quarter,
    from source
)

select * from final
