-- Expert lookup with a department filter (issue 13.7). A prefix search walks each field's index in its order
-- and filters the department row by row: a prefix that many experts share and few of them in the department
-- (or none) read thousands of entries for a page of 20 (EXPLAIN: 4,536 rows removed by the filter for one
-- surname prefix of one letter). With the department first, the filter is part of the index range: the page is
-- the first rows of (department, prefix), in the order the query sorts by. The display name's branch already
-- has (org_id, search_department, search_display) in directory_department_idx; the department's own branch needs
-- nothing new (its prefix and its filter are one column).
CREATE INDEX directory_department_given_idx
    ON directory_users (org_id, search_department, search_given, search_display) WHERE searchable;
CREATE INDEX directory_department_surname_idx
    ON directory_users (org_id, search_department, search_surname, search_display) WHERE searchable;
CREATE INDEX directory_department_job_title_idx
    ON directory_users (org_id, search_department, search_job_title, search_display) WHERE searchable;
