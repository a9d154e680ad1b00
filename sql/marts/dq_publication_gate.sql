-- 发布闸门: what the gate found about each reporting period and file — incomplete periods (a base file
-- rejected whole, only a 修订 file, a falling or collapsing total) and implausible files (values off by
-- a unit factor). Blocking findings stop publication (check publication_gate); the others are reported.
-- grain: one row per finding
with source as (
    select * from raw_gate
),

final as (
    select
        check_code,
        cast(blocking as boolean) as blocking,
        cast(year as integer) as year,
        cast(ytd_months as integer) as ytd_months,
        source_file,
        message,
        message_en,
    from source
)

select * from final
order by blocking desc, year, ytd_months, source_file, check_code
