-- 提示记录: accepted rows that deserve a second look (YTD falling, a 10× jump, a new area before 2012).
-- grain: one row per accepted input row × warning
with source as (
    select * from raw_warnings
),

final as (
    select
        source_file,
        cast(source_row as integer) as source_row,
        cast(year as integer) as year,
        cast(ytd_months as integer) as ytd_months,
        unit_code,
        industry,
        output_district,
        warning_code,
        message,
        message_en,
    from source
)

select * from final
order by source_file, source_row, warning_code
