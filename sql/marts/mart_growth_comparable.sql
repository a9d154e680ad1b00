-- 同比增长: the plain rate (this year's total over last year's) beside the comparable-scope rate
-- (可比口径: only enterprises that reported the same industry in the same period of both years,
-- counted in the same place).
-- grain: one row per year × ytd_months × district (8 + 全市) × industry (3 + 合计)
with attainment as (
    select * from mart_attainment
),

attributed as (
    select * from int_enterprise_records
),

-- Comparable scope is matched where the figure is counted: a district compares the enterprises
-- counted in that district in both years (a firm that moved, or a bio firm that added an output
-- district, is not comparable there); the city compares the enterprises it holds in both years.
-- The years are matched on each enterprise's total per period, industry and place (its records
-- summed), under one exact integer key: enterprise id (firm_id), place × industry cell, months.
cells as (
    select
        target_unit,
        industry,
        row_number() over () as cell,
        dense_rank() over (order by industry) as industry_id,
    from (select distinct target_unit, industry from attributed)
),

sizes as (
    select count(*) + 1 as n_cells, max(industry_id) + 1 as n_industries, from cells
),

-- one row per year × enterprise × cell × months (district: records without a target unit are not
-- counted in any district, so they are never comparable there)
district_firms as (
    select
        a.year,
        a.ytd_months,
        c.cell,
        c.industry_id,
        a.firm_id as firm,
        c.target_unit is not null as in_district,
        sum(a.ytd_value_yi) as value_yi,
    from attributed as a
    inner join cells as c
        on c.target_unit is not distinct from a.target_unit
        and c.industry = a.industry
    group by all
),

district_keyed as (
    -- months are 1–12 (< 16); DuckDB raises on an integer overflow, it never wraps
    select year, ytd_months, cell, firm, value_yi, (firm * sizes.n_cells + cell) * 16 + ytd_months as k,
    from district_firms, sizes
    where in_district
),

city_keyed as (
    select year, ytd_months, industry_id, firm, sum(value_yi) as value_yi,
        (firm * any_value(sizes.n_industries) + industry_id) * 16 + ytd_months as k,
    from district_firms, sizes
    group by year, ytd_months, industry_id, firm
),

-- an enterprise comparable in year Y: present in Y and in Y-1 under the same key
district_pairs as (
    select cur.year, cur.ytd_months, cur.cell, cur.firm, cur.value_yi as current_yi, prev.value_yi as prior_yi,
    from district_keyed as cur
    inner join district_keyed as prev
        on prev.year + 1 = cur.year
        and prev.k = cur.k
),

city_pairs as (
    select cur.year, cur.ytd_months, cur.industry_id, cur.firm, cur.value_yi as current_yi, prev.value_yi as prior_yi,
    from city_keyed as cur
    inner join city_keyed as prev
        on prev.year + 1 = cur.year
        and prev.k = cur.k
),

-- per district × industry (an enterprise once per key) and per district (enterprises counted once
-- across industries)
district_cells as (
    select
        p.year, p.ytd_months, c.target_unit as district, c.industry,
        count(*) as comparable_enterprises,
        sum(p.current_yi) as comparable_current_yi,
        sum(p.prior_yi) as comparable_prior_yi,
    from district_pairs as p
    inner join cells as c using (cell)
    group by all
),

district_totals as (
    select year, ytd_months, district, '合计' as industry,
        bit_count(bitstring_agg(firm, 0, $firm_id_max)) as comparable_enterprises,
        sum(current_yi) as comparable_current_yi,
        sum(prior_yi) as comparable_prior_yi,
    from (select p.*, c.target_unit as district from district_pairs as p inner join cells as c using (cell))
    group by all
),

industry_names as (
    select distinct industry_id, industry from cells
),

city_cells as (
    select
        p.year, p.ytd_months, '全市' as district, i.industry,
        count(*) as comparable_enterprises,
        sum(p.current_yi) as comparable_current_yi,
        sum(p.prior_yi) as comparable_prior_yi,
    from city_pairs as p
    inner join industry_names as i using (industry_id)
    group by all
),

city_totals as (
    select year, ytd_months, '全市' as district, '合计' as industry,
        bit_count(bitstring_agg(firm, 0, $firm_id_max)) as comparable_enterprises,
        sum(current_yi) as comparable_current_yi,
        sum(prior_yi) as comparable_prior_yi,
    from city_pairs
    group by all
),

comparable as (
    select * from district_cells
    union all
    select * from district_totals
    union all
    select * from city_cells
    union all
    select * from city_totals
),

final as (
    select
        cur.year,
        cur.ytd_months,
        cur.period_label,
        cur.district,
        cur.industry,
        cur.actual_yi,
        prev.actual_yi as prior_actual_yi,
        cur.yoy_growth,
        cast(coalesce(comparable.comparable_enterprises, 0) as integer) as comparable_enterprises,
        coalesce(comparable.comparable_current_yi, 0) as comparable_current_yi,
        coalesce(comparable.comparable_prior_yi, 0) as comparable_prior_yi,
        case
            when comparable.comparable_prior_yi > 0
                then comparable.comparable_current_yi / comparable.comparable_prior_yi - 1
        end as yoy_growth_comparable,
    from attainment as cur
    left join attainment as prev
        on prev.year = cur.year - 1
        and prev.ytd_months = cur.ytd_months
        and prev.district = cur.district
        and prev.industry = cur.industry
    left join comparable
        on comparable.year = cur.year
        and comparable.ytd_months = cur.ytd_months
        and comparable.district = cur.district
        and comparable.industry = cur.industry
)

select * from final
order by year, ytd_months, district, industry
