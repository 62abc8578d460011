-- Idempotency-Key (SPEC.md "Retries"): the first 2xx response of a POST,
-- stored with its key in the same transaction as the request's write.
-- A row is 'running' from the moment a request claims its key until its
-- transaction stores the response ('done'); a failed request deletes it,
-- and a 'running' row older than a minute (its worker died) may be taken
-- over: the take-over writes a new claim token, so the first request, if
-- it still runs, can no longer store its answer (it answers 409). Rows
-- older than 24 hours are deleted.
CREATE TABLE idempotency_keys (
    id           BIGINT UNSIGNED   NOT NULL AUTO_INCREMENT,
    user_id      BIGINT UNSIGNED   NOT NULL,
    idem_key     VARBINARY(255)    NOT NULL,                -- 1-255 printable ASCII, exact
    route        VARCHAR(255)      NOT NULL,                -- the route's pattern, for reading
    request_hash CHAR(64)          CHARACTER SET ascii NOT NULL,  -- SHA-256 of method, path, query, body
    state        ENUM('running','done') NOT NULL,
    claim        CHAR(32)          CHARACTER SET ascii NOT NULL,  -- random token of the claiming request
    status       SMALLINT UNSIGNED NULL,
    body         MEDIUMTEXT        NULL,
    created_at   DATETIME(3)       NOT NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_idempotency_keys_user_key (user_id, idem_key),
    KEY idx_idempotency_keys_created (created_at),
    CONSTRAINT fk_idempotency_keys_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
