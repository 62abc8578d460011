-- An index for the lists' `query` filters, which mean "contains"
-- (LIKE '%q%', a scan of the whole table at any size: 1.4 s for 1M users):
-- every run of three characters (trigram) of the searched text, with the
-- row it comes from. A search for q (3 characters or more) takes the rows
-- that hold a few of q's trigrams (src/search.c), then checks those with
-- the same LIKE as before: the same rows as the scan, found by the index.
--
--   kind 1  users   username LF email
--   kind 2  stores  name
--   kind 3  offers  name LF campaign_title
--
-- The trigrams are compared in the searched columns' own collation, so a
-- trigram matches whatever LIKE matches character by character (case and
-- accents folded alike); trailing spaces are ignored by both. Triggers keep
-- the table in the statement that writes the rows (none of the three
-- tables is written by a foreign-key cascade). A text counts as changed
-- when its bytes change: "Strasse" -> "Straße" is equal in the collation
-- but has other trigrams. Measured against Mroonga's
-- n-gram index on the benchmark's 1M users (bench/README): 10-20 ms against
-- 40-120 ms for a search with few matches, transactional, no plugin; it
-- takes 4 times the disk (1.1 GB for 1M users).

CREATE TABLE search_grams (
    kind TINYINT UNSIGNED NOT NULL,
    gram VARCHAR(3)       NOT NULL,
    id   BIGINT UNSIGNED  NOT NULL,
    PRIMARY KEY (kind, gram, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- seq_1_to_600 (MariaDB's Sequence engine): the positions of a text of up
-- to 255 + 1 + 255 characters.
INSERT IGNORE INTO search_grams (kind, gram, id)
SELECT 1, SUBSTRING(x.t, s.seq, 3), x.id
  FROM (SELECT id, CONCAT(username, CHAR(10), email) AS t FROM users) x
  JOIN seq_1_to_600 s ON s.seq <= CHAR_LENGTH(x.t) - 2;
INSERT IGNORE INTO search_grams (kind, gram, id)
SELECT 2, SUBSTRING(x.name, s.seq, 3), x.id
  FROM stores x JOIN seq_1_to_600 s ON s.seq <= CHAR_LENGTH(x.name) - 2;
INSERT IGNORE INTO search_grams (kind, gram, id)
SELECT 3, SUBSTRING(x.t, s.seq, 3), x.id
  FROM (SELECT id, CONCAT(name, CHAR(10), campaign_title) AS t FROM offers) x
  JOIN seq_1_to_600 s ON s.seq <= CHAR_LENGTH(x.t) - 2;

-- users
CREATE TRIGGER users_grams_insert AFTER INSERT ON users FOR EACH ROW
    INSERT IGNORE INTO search_grams (kind, gram, id)
    SELECT 1, SUBSTRING(CONCAT(NEW.username, CHAR(10), NEW.email), s.seq, 3), NEW.id
      FROM seq_1_to_600 s
     WHERE s.seq <= CHAR_LENGTH(NEW.username) + CHAR_LENGTH(NEW.email) - 1;

CREATE TRIGGER users_grams_update_old AFTER UPDATE ON users FOR EACH ROW
    DELETE g FROM search_grams g
      JOIN (SELECT DISTINCT SUBSTRING(CONCAT(OLD.username, CHAR(10), OLD.email), s.seq, 3) AS gram
              FROM seq_1_to_600 s
             WHERE s.seq <= CHAR_LENGTH(OLD.username) + CHAR_LENGTH(OLD.email) - 1
               AND (BINARY OLD.username <> BINARY NEW.username
                    OR BINARY OLD.email <> BINARY NEW.email OR OLD.id <> NEW.id)) o
        ON g.kind = 1 AND g.gram = o.gram AND g.id = OLD.id;

CREATE TRIGGER users_grams_update_new AFTER UPDATE ON users FOR EACH ROW
    FOLLOWS users_grams_update_old
    INSERT IGNORE INTO search_grams (kind, gram, id)
    SELECT 1, SUBSTRING(CONCAT(NEW.username, CHAR(10), NEW.email), s.seq, 3), NEW.id
      FROM seq_1_to_600 s
     WHERE s.seq <= CHAR_LENGTH(NEW.username) + CHAR_LENGTH(NEW.email) - 1
       AND (BINARY OLD.username <> BINARY NEW.username OR BINARY OLD.email <> BINARY NEW.email
            OR OLD.id <> NEW.id);

CREATE TRIGGER users_grams_delete AFTER DELETE ON users FOR EACH ROW
    DELETE g FROM search_grams g
      JOIN (SELECT DISTINCT SUBSTRING(CONCAT(OLD.username, CHAR(10), OLD.email), s.seq, 3) AS gram
              FROM seq_1_to_600 s
             WHERE s.seq <= CHAR_LENGTH(OLD.username) + CHAR_LENGTH(OLD.email) - 1) o
        ON g.kind = 1 AND g.gram = o.gram AND g.id = OLD.id;

-- stores
CREATE TRIGGER stores_grams_insert AFTER INSERT ON stores FOR EACH ROW
    INSERT IGNORE INTO search_grams (kind, gram, id)
    SELECT 2, SUBSTRING(NEW.name, s.seq, 3), NEW.id
      FROM seq_1_to_600 s WHERE s.seq <= CHAR_LENGTH(NEW.name) - 2;

CREATE TRIGGER stores_grams_update_old AFTER UPDATE ON stores FOR EACH ROW
    DELETE g FROM search_grams g
      JOIN (SELECT DISTINCT SUBSTRING(OLD.name, s.seq, 3) AS gram
              FROM seq_1_to_600 s
             WHERE s.seq <= CHAR_LENGTH(OLD.name) - 2
               AND (BINARY OLD.name <> BINARY NEW.name OR OLD.id <> NEW.id)) o
        ON g.kind = 2 AND g.gram = o.gram AND g.id = OLD.id;

CREATE TRIGGER stores_grams_update_new AFTER UPDATE ON stores FOR EACH ROW
    FOLLOWS stores_grams_update_old
    INSERT IGNORE INTO search_grams (kind, gram, id)
    SELECT 2, SUBSTRING(NEW.name, s.seq, 3), NEW.id
      FROM seq_1_to_600 s
     WHERE s.seq <= CHAR_LENGTH(NEW.name) - 2 AND (BINARY OLD.name <> BINARY NEW.name OR OLD.id <> NEW.id);

CREATE TRIGGER stores_grams_delete AFTER DELETE ON stores FOR EACH ROW
    DELETE g FROM search_grams g
      JOIN (SELECT DISTINCT SUBSTRING(OLD.name, s.seq, 3) AS gram
              FROM seq_1_to_600 s WHERE s.seq <= CHAR_LENGTH(OLD.name) - 2) o
        ON g.kind = 2 AND g.gram = o.gram AND g.id = OLD.id;

-- offers
CREATE TRIGGER offers_grams_insert AFTER INSERT ON offers FOR EACH ROW
    INSERT IGNORE INTO search_grams (kind, gram, id)
    SELECT 3, SUBSTRING(CONCAT(NEW.name, CHAR(10), NEW.campaign_title), s.seq, 3), NEW.id
      FROM seq_1_to_600 s
     WHERE s.seq <= CHAR_LENGTH(NEW.name) + CHAR_LENGTH(NEW.campaign_title) - 1;

CREATE TRIGGER offers_grams_update_old AFTER UPDATE ON offers FOR EACH ROW
    DELETE g FROM search_grams g
      JOIN (SELECT DISTINCT SUBSTRING(CONCAT(OLD.name, CHAR(10), OLD.campaign_title), s.seq, 3)
                   AS gram
              FROM seq_1_to_600 s
             WHERE s.seq <= CHAR_LENGTH(OLD.name) + CHAR_LENGTH(OLD.campaign_title) - 1
               AND (BINARY OLD.name <> BINARY NEW.name
                    OR BINARY OLD.campaign_title <> BINARY NEW.campaign_title
                    OR OLD.id <> NEW.id)) o
        ON g.kind = 3 AND g.gram = o.gram AND g.id = OLD.id;

CREATE TRIGGER offers_grams_update_new AFTER UPDATE ON offers FOR EACH ROW
    FOLLOWS offers_grams_update_old
    INSERT IGNORE INTO search_grams (kind, gram, id)
    SELECT 3, SUBSTRING(CONCAT(NEW.name, CHAR(10), NEW.campaign_title), s.seq, 3), NEW.id
      FROM seq_1_to_600 s
     WHERE s.seq <= CHAR_LENGTH(NEW.name) + CHAR_LENGTH(NEW.campaign_title) - 1
       AND (BINARY OLD.name <> BINARY NEW.name
            OR BINARY OLD.campaign_title <> BINARY NEW.campaign_title OR OLD.id <> NEW.id);

CREATE TRIGGER offers_grams_delete AFTER DELETE ON offers FOR EACH ROW
    DELETE g FROM search_grams g
      JOIN (SELECT DISTINCT SUBSTRING(CONCAT(OLD.name, CHAR(10), OLD.campaign_title), s.seq, 3)
                   AS gram
              FROM seq_1_to_600 s
             WHERE s.seq <= CHAR_LENGTH(OLD.name) + CHAR_LENGTH(OLD.campaign_title) - 1) o
        ON g.kind = 3 AND g.gram = o.gram AND g.id = OLD.id;
