-- Exact counts of two per-parent lists, kept with their rows, so that a page
-- of a store's blocklist or of a campaign's participants does not count the
-- store's or the campaign's rows on every request (Laravel's paginator
-- counts each page: at 100k entries that was 13 ms of MariaDB a request).
--
--   blocklist_counts  (store_id)          n = blocklist entries of the store
--   participant_counts (offer_id, status) n = offer_users of the campaign
--                                             in that status
--   row_counts 'stores_active'            n = stores not deleted (an
--                                             admin's GET /v2/stores)
--
-- Triggers keep them in the statement (and so the transaction) that writes
-- the rows. MariaDB does not run triggers for rows a foreign key cascade
-- deletes, so each cascade into these tables is covered where it starts:
--   - a store's or a campaign's own counts go with it (AFTER DELETE on
--     stores and offers: both are deleted directly, never by a cascade);
--   - deleting a user (users BEFORE DELETE) takes its blocklist entries and
--     its participations off their stores' and campaigns' counts;
--   - deleting a user tag takes its blocklist entries off, and deleting a
--     store takes off the entries of other stores made with its tags (an
--     admin may block with any store's tag; the store's tags go by a
--     cascade, which runs no trigger).
-- No foreign keys on the count tables: a count row's first insert would
-- check its parent with a shared lock while holding another count row,
-- a lock order a campaign's own update (its row first) could meet
-- backwards.
-- A failed statement undoes its triggers' changes with it (InnoDB). A
-- move takes one count down and another up in key order, whichever way it
-- goes: two moves between the same statuses in opposite directions would
-- otherwise lock the two rows in opposite orders (a deadlock, seen with
-- 64 status changes at once).
-- Rows under a hot counter serialise their writers on the counter's row
-- until commit: one store's blocklist writes, one campaign's joins.

CREATE TABLE blocklist_counts (
    store_id BIGINT UNSIGNED NOT NULL,
    n        BIGINT          NOT NULL,
    PRIMARY KEY (store_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE participant_counts (
    offer_id BIGINT UNSIGNED NOT NULL,
    status   ENUM('suggestion','open','accepted','product_sent',
                  'have_received','done','store_denied') NOT NULL,
    n        BIGINT          NOT NULL,
    PRIMARY KEY (offer_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO blocklist_counts (store_id, n)
SELECT store_id, COUNT(*) FROM blocklist_entries GROUP BY store_id;

INSERT INTO participant_counts (offer_id, status, n)
SELECT offer_id, status, COUNT(*) FROM offer_users GROUP BY offer_id, status;

CREATE TRIGGER blocklist_count_insert AFTER INSERT ON blocklist_entries FOR EACH ROW
    INSERT INTO blocklist_counts (store_id, n) VALUES (NEW.store_id, 1)
        ON DUPLICATE KEY UPDATE n = n + 1;

CREATE TRIGGER blocklist_count_update AFTER UPDATE ON blocklist_entries FOR EACH ROW
    INSERT INTO blocklist_counts (store_id, n)
    SELECT x.store_id, x.d FROM (SELECT OLD.store_id AS store_id, -1 AS d
                                 UNION ALL SELECT NEW.store_id, 1) x
     WHERE OLD.store_id <> NEW.store_id
     ORDER BY x.store_id
        ON DUPLICATE KEY UPDATE n = blocklist_counts.n + VALUES(n);

CREATE TRIGGER blocklist_count_delete AFTER DELETE ON blocklist_entries FOR EACH ROW
    UPDATE blocklist_counts SET n = n - 1 WHERE store_id = OLD.store_id;

CREATE TRIGGER participant_count_insert AFTER INSERT ON offer_users FOR EACH ROW
    INSERT INTO participant_counts (offer_id, status, n) VALUES (NEW.offer_id, NEW.status, 1)
        ON DUPLICATE KEY UPDATE n = n + 1;

CREATE TRIGGER participant_count_update AFTER UPDATE ON offer_users FOR EACH ROW
    INSERT INTO participant_counts (offer_id, status, n)
    SELECT x.offer_id, x.status, x.d
      FROM (SELECT OLD.offer_id AS offer_id, OLD.status AS status, -1 AS d
            UNION ALL SELECT NEW.offer_id, NEW.status, 1) x
     WHERE OLD.offer_id <> NEW.offer_id OR OLD.status <> NEW.status
     ORDER BY x.offer_id, x.status
        ON DUPLICATE KEY UPDATE n = participant_counts.n + VALUES(n);

CREATE TRIGGER participant_count_delete AFTER DELETE ON offer_users FOR EACH ROW
    UPDATE participant_counts SET n = n - 1
     WHERE offer_id = OLD.offer_id AND status = OLD.status;

CREATE TRIGGER users_delete_blocklist_counts BEFORE DELETE ON users FOR EACH ROW
    UPDATE blocklist_counts c
      JOIN (SELECT store_id, COUNT(*) AS k FROM blocklist_entries
             WHERE user_id = OLD.id GROUP BY store_id) d ON d.store_id = c.store_id
       SET c.n = c.n - d.k;

CREATE TRIGGER users_delete_participant_counts BEFORE DELETE ON users FOR EACH ROW
    UPDATE participant_counts c
      JOIN (SELECT offer_id, status, COUNT(*) AS k FROM offer_users
             WHERE user_id = OLD.id GROUP BY offer_id, status) d
        ON d.offer_id = c.offer_id AND d.status = c.status
       SET c.n = c.n - d.k;

CREATE TRIGGER stores_delete_blocklist_counts BEFORE DELETE ON stores FOR EACH ROW
    UPDATE blocklist_counts c
      JOIN (SELECT b.store_id, COUNT(*) AS k FROM blocklist_entries b
              JOIN user_tags t ON t.id = b.user_tag_id
             WHERE t.store_id = OLD.id AND b.store_id <> OLD.id GROUP BY b.store_id) d
        ON d.store_id = c.store_id
       SET c.n = c.n - d.k;

CREATE TRIGGER stores_delete_own_counts AFTER DELETE ON stores FOR EACH ROW
    DELETE FROM blocklist_counts WHERE store_id = OLD.id;

CREATE TRIGGER offers_delete_own_counts AFTER DELETE ON offers FOR EACH ROW
    DELETE FROM participant_counts WHERE offer_id = OLD.id;

CREATE TRIGGER user_tags_delete_blocklist_counts BEFORE DELETE ON user_tags FOR EACH ROW
    UPDATE blocklist_counts c
      JOIN (SELECT store_id, COUNT(*) AS k FROM blocklist_entries
             WHERE user_tag_id = OLD.id GROUP BY store_id) d ON d.store_id = c.store_id
       SET c.n = c.n - d.k;

-- Stores are inserted, soft-deleted and deleted directly (no cascade into
-- stores); only a change of deleted_at changes the count (as 0006 does
-- for users: other updates touch no row).
INSERT INTO row_counts (name, n)
SELECT 'stores_active', COUNT(*) FROM stores WHERE deleted_at IS NULL;

CREATE TRIGGER stores_count_insert AFTER INSERT ON stores FOR EACH ROW
    UPDATE row_counts SET n = n + (NEW.deleted_at IS NULL) WHERE name = 'stores_active';

CREATE TRIGGER stores_count_update AFTER UPDATE ON stores FOR EACH ROW
    UPDATE row_counts
       SET n = n + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL)
     WHERE name = 'stores_active'
       AND (NEW.deleted_at IS NULL) <> (OLD.deleted_at IS NULL);

CREATE TRIGGER stores_count_delete AFTER DELETE ON stores FOR EACH ROW
    UPDATE row_counts SET n = n - (OLD.deleted_at IS NULL) WHERE name = 'stores_active';
