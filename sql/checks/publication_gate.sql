/*
description: 各统计期完整、各文件数值可信 / every period complete and every file plausible
*/
-- Blocking: every reporting period is complete and every file plausible (pipelines/validation/gate.py):
-- no base file rejected whole, no delivered period left without a record (or a fifth lost to conflicts),
-- no period built only from a 修订 file, no falling or collapsing total, no file off by a unit factor.
-- Returns the blocking findings, each with its message.
select check_code, year, ytd_months, source_file, message, message_en
from dq_publication_gate
where blocking
order by year, ytd_months, source_file, check_code
