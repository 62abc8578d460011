-- The users_active counter (0003) was updated by every UPDATE of users,
-- which locked its one row until commit: every transaction that writes a
-- user waited for the others, and two of them could deadlock on it. Only a
-- change of deleted_at changes the count; any other update now touches no
-- row (the condition is constant within the trigger: an impossible WHERE).
DROP TRIGGER users_count_update;

CREATE TRIGGER users_count_update AFTER UPDATE ON users FOR EACH ROW
    UPDATE row_counts
       SET n = n + (NEW.deleted_at IS NULL) - (OLD.deleted_at IS NULL)
     WHERE name = 'users_active'
       AND (NEW.deleted_at IS NULL) <> (OLD.deleted_at IS NULL);
