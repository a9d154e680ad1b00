/*
kind: temp table
grain: one row per year × ytd_months × district (8 target units + 全市) × industry (3 + 合计) with records
*/
-- How many distinct enterprises each cell holds, and its comparable scope (可比口径): the enterprises
-- it holds in the same period of both this year and last year, with their values in each year.
-- The one model that counts enterprises: they are held as bitmaps of one bit per enterprise (firm_id is
-- dense, 0 … $firm_id_max; bitstring_agg / bit_count / bit_or / get_bit), exact distinct counts that a
-- 合计 can union across industries without re-reading the records. The bitmaps never leave this model:
-- int_unit_actuals, int_city_actuals, int_attainment_cells and mart_growth_comparable read counts and sums.
-- Their memory is checked before the build (pipelines.marts.build.check_bitmap_memory).
with attributed as (
    select * from int_attributed_facts_narrow
),

-- Comparable scope is matched where the figure is counted: a district compares the enterprises
-- counted in that district in both years (a firm that moved, or a bio firm that added an output
-- district, is not comparable there); the city compares the enterprises it holds in both years.
-- An enterprise is comparable in a place × industry cell and period of year Y when it has records in
-- that cell and period of both Y and Y-1; the comparable sums are its records' values of each year.
-- Who is where is held as bitmaps, one bit per enterprise (firm_id is dense, 0 … $firm_id_max): a
-- record looks its enterprise up in the bitmap of the same cell a year before (and after), so the
-- years are matched without joining 10M records to 10M records. Districts and 全市 have parallel CTEs on
-- purpose: one set over the union of both levels (2 × the records, materialised) measured 2× slower.
district_presence as (
    -- records without a target unit are counted in no district, so they are never comparable there
    select year, ytd_months, target_unit, industry, bitstring_agg(firm_id, 0, $firm_id_max) as firms,
    from attributed
    where target_unit is not null
    group by all
),

city_presence as (
    select year, ytd_months, industry, bitstring_agg(firm_id, 0, $firm_id_max) as firms,
    from attributed
    group by all
),

-- each cell with the bitmaps of the same cell a year before and a year after (a few hundred rows), so
-- that each record looks its enterprise up in one join per level
district_neighbours as (
    select
        cell.year, cell.ytd_months, cell.target_unit, cell.industry,
        district_before.firms as firms_before,
        district_after.firms as firms_after,
    from district_presence as cell
    left join district_presence as district_before
        on
            district_before.year = cell.year - 1
            and cell.ytd_months = district_before.ytd_months
            and cell.target_unit = district_before.target_unit
            and cell.industry = district_before.industry
    left join district_presence as district_after
        on
            district_after.year = cell.year + 1
            and cell.ytd_months = district_after.ytd_months
            and cell.target_unit = district_after.target_unit
            and cell.industry = district_after.industry
),

city_neighbours as (
    select
        cell.year, cell.ytd_months, cell.industry,
        city_before.firms as firms_before,
        city_after.firms as firms_after,
    from city_presence as cell
    left join city_presence as city_before
        on
            city_before.year = cell.year - 1
            and cell.ytd_months = city_before.ytd_months
            and cell.industry = city_before.industry
    left join city_presence as city_after
        on
            city_after.year = cell.year + 1
            and cell.ytd_months = city_after.ytd_months
            and cell.industry = city_after.industry
),

-- each record, with whether its enterprise is in the same cell and period a year before / after
record_matches as (
    select
        a.year,
        a.ytd_months,
        a.target_unit,
        a.industry,
        a.ytd_value_yi,
        coalesce(get_bit(district.firms_before, cast(a.firm_id as integer)) = 1, false) as in_district_before,
        coalesce(get_bit(district.firms_after, cast(a.firm_id as integer)) = 1, false) as in_district_after,
        coalesce(get_bit(city.firms_before, cast(a.firm_id as integer)) = 1, false) as in_city_before,
        coalesce(get_bit(city.firms_after, cast(a.firm_id as integer)) = 1, false) as in_city_after,
    from attributed as a
    left join district_neighbours as district
        on
            a.year = district.year
            and a.ytd_months = district.ytd_months
            and a.target_unit = district.target_unit
            and a.industry = district.industry
    left join city_neighbours as city
        on
            a.year = city.year
            and a.ytd_months = city.ytd_months
            and a.industry = city.industry
),

-- per cell and year: the values of the enterprises also there a year before (this year's side of a
-- comparison) and a year after (last year's side of next year's comparison)
district_sums as (
    select
        year, ytd_months, target_unit, industry,
        sum(ytd_value_yi) filter (where in_district_before) as matched_current_yi,
        sum(ytd_value_yi) filter (where in_district_after) as matched_for_next_yi,
    from record_matches
    where target_unit is not null
    group by all
),

city_sums as (
    select
        year, ytd_months, industry,
        sum(ytd_value_yi) filter (where in_city_before) as matched_current_yi,
        sum(ytd_value_yi) filter (where in_city_after) as matched_for_next_yi,
    from record_matches
    group by all
),

-- the enterprises present in both years, per cell (Y against Y-1)
district_overlap as (
    select cur.year, cur.ytd_months, cur.target_unit, cur.industry, cur.firms & prev.firms as firms,
    from district_presence as cur
    inner join district_presence as prev
        on
            prev.year = cur.year - 1
            and cur.ytd_months = prev.ytd_months
            and cur.target_unit = prev.target_unit
            and cur.industry = prev.industry
),

city_overlap as (
    select cur.year, cur.ytd_months, cur.industry, cur.firms & prev.firms as firms,
    from city_presence as cur
    inner join city_presence as prev
        on
            prev.year = cur.year - 1
            and cur.ytd_months = prev.ytd_months
            and cur.industry = prev.industry
),

district_cells as (
    select
        o.year, o.ytd_months, o.target_unit as district, o.industry, o.firms,
        bit_count(o.firms) as comparable_enterprises,
        cur.matched_current_yi as comparable_current_yi,
        prev.matched_for_next_yi as comparable_prior_yi,
    from district_overlap as o
    inner join district_sums as cur using (year, ytd_months, target_unit, industry)
    inner join district_sums as prev
        on
            prev.year = o.year - 1
            and o.ytd_months = prev.ytd_months
            and o.target_unit = prev.target_unit
            and o.industry = prev.industry
),

city_cells as (
    select
        o.year, o.ytd_months, '全市' as district, o.industry, o.firms,
        bit_count(o.firms) as comparable_enterprises,
        cur.matched_current_yi as comparable_current_yi,
        prev.matched_for_next_yi as comparable_prior_yi,
    from city_overlap as o
    inner join city_sums as cur using (year, ytd_months, industry)
    inner join city_sums as prev
        on
            prev.year = o.year - 1
            and o.ytd_months = prev.ytd_months
            and o.industry = prev.industry
),

cells as (
    select * from district_cells
    union all
    select * from city_cells
),

-- 合计 per district and for 全市: an enterprise comparable in several industries is counted once
totals as (
    select
        year, ytd_months, district, '合计' as industry,
        bit_count(bit_or(firms)) as comparable_enterprises,
        sum(comparable_current_yi) as comparable_current_yi,
        sum(comparable_prior_yi) as comparable_prior_yi,
    from cells
    group by year, ytd_months, district
),

comparable as (
    select * exclude (firms) from cells
    union all
    select * from totals
),

-- distinct enterprises per cell: a 合计 is the union of its industries (a firm in two counts once)
district_counts as (
    select year, ytd_months, target_unit as district, industry, bit_count(firms) as enterprises,
    from district_presence
    union all
    select year, ytd_months, target_unit as district, '合计' as industry, bit_count(bit_or(firms)) as enterprises,
    from district_presence
    group by year, ytd_months, target_unit
),

city_counts as (
    select year, ytd_months, '全市' as district, industry, bit_count(firms) as enterprises,
    from city_presence
    union all
    select year, ytd_months, '全市' as district, '合计' as industry, bit_count(bit_or(firms)) as enterprises,
    from city_presence
    group by year, ytd_months
),

counts as (
    select * from district_counts
    union all
    select * from city_counts
),

final as (
    select
        counts.year,
        counts.ytd_months,
        counts.district,
        counts.industry,
        counts.enterprises,
        comparable.comparable_enterprises,
        comparable.comparable_current_yi,
        comparable.comparable_prior_yi,
    from counts
    left join comparable using (year, ytd_months, district, industry)
)

select * from final
