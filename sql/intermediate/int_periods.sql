-- The reporting periods present in accepted data (a base year such as 2010 included).
-- grain: one row per year × ytd_months
with records as (
    select * from int_attributed_facts
),

final as (
    select distinct
        year,
        ytd_months,
        '1-' || cast(ytd_months as varchar) || '月' as period_label,
    from records
)

select * from final
