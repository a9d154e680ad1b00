-- Year-to-date scale per target unit (目标口径: new areas folded into their parent) and industry,
-- on the full grid of periods × the 8 units × 3 industries (0 where nothing was reported).
-- grain: one row per year × ytd_months × target unit × industry
with periods as (
    select * from int_periods
),

units as (
    select district, sort_order from ref_districts where is_target_unit
),

industries as (
    select industry from ref_industries
),

attributed as (
    select * from int_enterprise_records
),

-- enterprises: an exact distinct count, as a bitmap of the dense enterprise ids (0 … $firm_id_max)
sums as (
    select
        year,
        ytd_months,
        target_unit as district,
        industry,
        sum(ytd_value_yi) as actual_yi,
        bit_count(bitstring_agg(firm_id, 0, $firm_id_max)) as enterprises,
    from attributed
    group by all
),

grid as (
    select periods.year, periods.ytd_months, periods.period_label, units.district, industries.industry,
    from periods
    cross join units
    cross join industries
),

final as (
    select
        grid.year,
        grid.ytd_months,
        grid.period_label,
        grid.district,
        grid.industry,
        coalesce(sums.actual_yi, 0) as actual_yi,
        coalesce(sums.enterprises, 0) as enterprises,
    from grid
    left join sums using (year, ytd_months, district, industry)
)

select * from final
