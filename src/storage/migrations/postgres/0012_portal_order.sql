-- 0012 the portal's list order as an index.
--
-- The public list is ordered by department, code and id. A search matching
-- many items walks this index testing each row's text (search::find), so a
-- page costs a few rows instead of every match.
CREATE INDEX power_public_order ON power_public (department_id, code, item_id);
