-- The page of a member's GET /v2/offers (newest first): MariaDB read every
-- campaign of the store by idx_offers_store_window and sorted them (700
-- rows, 2.4 ms at the benchmark's 100k campaigns, growing with the store).
-- With (store_id, created_by, created_at) it walks the caller's newest
-- campaigns backwards and stops when the page is full, the status checked
-- on each row read: the same few rows at any size.
ALTER TABLE offers
    ADD INDEX idx_offers_store_author_created (store_id, created_by, created_at);
