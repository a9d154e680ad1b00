/*
kind: temp view
grain: one row per entry under output/
*/
-- Every entry under output/ as validation accounted for it (pipelines.validation), typed.
with source as (
    select * from raw_file_summary
),

final as (
    select
        source_file,
        sha256,
        encoding,
        sheet,
        value_unit,
        cast(is_revision as boolean) as is_revision,
        cast(rows_read as integer) as rows_read,
        cast(rows_accepted as integer) as rows_accepted,
        cast(rows_rejected as integer) as rows_rejected,
        cast(rows_warned as integer) as rows_warned,
        cast(rows_replaced as integer) as rows_replaced,
        file_error,
        status,
        status_reason,
        status_reason_en,
    from source
)

select * from final
