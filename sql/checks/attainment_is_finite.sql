/*
description: 完成进度为有限数 / attainment is finite
*/
-- Blocking: wherever a target exists, attainment is a finite number. Returns the offending rows.
select year, ytd_months, district, industry, actual_yi, target_yi, attainment
from mart_attainment
where
    target_yi is not null
    and (attainment is null or isnan(attainment) or isinf(attainment) or target_yi <= 0)
