-- Exact counts kept with the rows, so that a list without filters does not
-- count a large table on every page (Laravel's paginator counts each page).
-- users_active: users whose deleted_at is NULL (GET /v2/users).
--
-- Triggers keep it exact: users are inserted, soft-deleted (UPDATE) and
-- deleted directly; no foreign key cascades into users, and MariaDB runs
-- triggers for every one of those statements. A counter for a table that
-- foreign keys cascade into (blocklist_entries) would drift: MariaDB does
-- not run triggers for cascaded deletes.
CREATE TABLE row_counts (
    name VARCHAR(64)  NOT NULL,
    n    BIGINT       NOT NULL,
    PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO row_counts (name, n)
SELECT 'users_active', COUNT(*) FROM users WHERE deleted_at IS NULL;

CREATE TRIGGER users_count_insert AFTER INSERT ON users FOR EACH ROW
    UPDATE row_counts SET n = n + (NEW.deleted_at IS NULL) WHERE name = 'users_active';

CREATE TRIGGER users_count_update AFTER UPDATE ON users FOR EACH ROW
    UPDATE row_counts
       SET n = n + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL)
     WHERE name = 'users_active';

CREATE TRIGGER users_count_delete AFTER DELETE ON users FOR EACH ROW
    UPDATE row_counts SET n = n - (OLD.deleted_at IS NULL) WHERE name = 'users_active';
