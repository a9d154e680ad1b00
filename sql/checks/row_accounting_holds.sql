/*
description: 读入 = 接受 + 退回 / rows read = accepted + rejected
*/
-- Blocking: for every delivered file, rows read = rows accepted + rows rejected. Returns the offending files.
select source_file, rows_read, rows_accepted, rows_rejected
from dq_file_summary
where rows_read is distinct from rows_accepted + rows_rejected
