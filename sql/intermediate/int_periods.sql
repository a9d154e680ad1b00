/*
kind: table
description: 有效数据中出现的统计期（年度 × 累计期）
grain: one row per year × ytd_months
columns:
  year: 统计年度
  ytd_months: 累计月数：3、6、9、12
  period_label: 累计期：1-3月 … 1-12月
*/
-- The reporting periods present in accepted data (a base year such as 2010 included).
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
