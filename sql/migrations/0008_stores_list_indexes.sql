-- Indexes for the store reads of issue 8, measured on bench/gen's large
-- scale (10k stores in four store groups, 1M blocklist entries).
--
-- GET /v2/stores counts the stores that are not deleted on every page:
-- without an index on deleted_at that read every row of the table; with
-- it, the narrow index only.
--
-- GET /v2/users/{id}/stores-by-categories and -by-toplist read the active,
-- not deleted stores of one store group, with their rank and name. A group
-- holds a quarter of the stores, so MariaDB scanned the whole table rather
-- than look each row up from (store_group_id, is_active, toplist_rank).
-- This index holds every column those queries read (the id is in every
-- InnoDB index): a range of it, no table rows.
ALTER TABLE stores
    ADD INDEX idx_stores_deleted_at (deleted_at),
    ADD INDEX idx_stores_group_visible (store_group_id, is_active, deleted_at, toplist_rank, name);
