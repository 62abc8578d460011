-- 0001_schema.sql: the whole Metapic API v2 schema (SPEC.md + ROADMAP.md).
--
-- Conventions (see sql/README):
--   * InnoDB, utf8mb4 / utf8mb4_unicode_ci, ids BIGINT UNSIGNED AUTO_INCREMENT.
--   * Every DATETIME is UTC. Defaults use CURRENT_TIMESTAMP, which follows the
--     session time zone: every connection sets time_zone = '+00:00'.
--   * Money: minor units in BIGINT (cpc, budgets, amounts, order values);
--     fractions (cpa, revenue shares) in DECIMAL. Never FLOAT/DOUBLE.
--   * Soft delete: deleted_at NULL = alive.
--   * ON DELETE CASCADE where the child means nothing without its parent,
--     RESTRICT (the default) elsewhere; SET NULL only on optional links
--     (offers.shared_budget_id).
--   * Derived statuses (offer, return ad) are not stored: deleted_at,
--     paused_at and the validity window are, and queries derive the status.

-- ===========================================================================
-- Markets, creator networks, users
-- ===========================================================================

-- Advertiser group = store group = market.
CREATE TABLE store_groups (
    id                BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name              VARCHAR(255)    NOT NULL,
    `key`             VARCHAR(16)     NOT NULL,            -- locale, e.g. sv_SE
    currency          CHAR(3)         NOT NULL,            -- ISO 4217
    return_ad_enabled TINYINT(1)      NOT NULL DEFAULT 0,
    created_at        DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at        DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_store_groups_key (`key`),
    KEY idx_store_groups_return_ad (return_ad_enabled),
    KEY idx_store_groups_created_at (created_at),
    KEY idx_store_groups_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Creator network (agency).
CREATE TABLE clients (
    id                     BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name                   VARCHAR(255)    NOT NULL,
    client_id              VARCHAR(32)     NOT NULL,        -- public code, e.g. fxaqOFZfX3
    store_group_id         BIGINT UNSIGNED NULL,
    has_own_payment_system TINYINT(1)      NOT NULL DEFAULT 0,
    revenue_share          DECIMAL(5,4)    NOT NULL DEFAULT 1,
    created_at             DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at             DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_clients_client_id (client_id),
    KEY idx_clients_store_group (store_group_id, created_at),
    KEY idx_clients_created_at (created_at),
    KEY idx_clients_name (name),
    CONSTRAINT fk_clients_store_group FOREIGN KEY (store_group_id) REFERENCES store_groups (id),
    CONSTRAINT ck_clients_revenue_share CHECK (revenue_share >= 0 AND revenue_share <= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE revenue_tiers (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    client_id     BIGINT UNSIGNED NOT NULL,
    name          VARCHAR(255)    NOT NULL,
    revenue_share DECIMAL(5,4)    NOT NULL DEFAULT 1,
    created_at    DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_revenue_tiers_client (client_id, name),
    KEY idx_revenue_tiers_name (name),
    CONSTRAINT fk_revenue_tiers_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
    CONSTRAINT ck_revenue_tiers_share CHECK (revenue_share >= 0 AND revenue_share <= 1)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Creators, staff and store members alike. Admin = is_admin; store member =
-- a row in store_users; anyone else is a creator. A user's store group is its
-- client's store_group_id.
CREATE TABLE users (
    id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    username        VARCHAR(255)    NOT NULL,
    email           VARCHAR(255)    NOT NULL,
    client_id       BIGINT UNSIGNED NULL,
    revenue_tier_id BIGINT UNSIGNED NULL,
    is_admin        TINYINT(1)      NOT NULL DEFAULT 0,
    ax_id           VARCHAR(64)     NULL,                   -- id in the payment system (AX)
    created_at      DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    deleted_at      DATETIME        NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_users_username (username),
    UNIQUE KEY uq_users_email (email),
    KEY idx_users_client (client_id, created_at),
    KEY idx_users_revenue_tier (revenue_tier_id),
    KEY idx_users_ax_id (ax_id),
    KEY idx_users_created_at (created_at),
    CONSTRAINT fk_users_client FOREIGN KEY (client_id) REFERENCES clients (id),
    CONSTRAINT fk_users_revenue_tier FOREIGN KEY (revenue_tier_id) REFERENCES revenue_tiers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A creator's social media accounts; targets by social_media_identifier and
-- pre_registered_identifier match `identifier`.
CREATE TABLE social_media_accounts (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id    BIGINT UNSIGNED NOT NULL,
    platform   VARCHAR(32)     NOT NULL,                    -- instagram, tiktok, youtube, blog, ...
    identifier VARCHAR(255)    NOT NULL,                    -- handle / channel id, without '@'
    url        VARCHAR(2048)   NULL,
    followers  INT UNSIGNED    NULL,
    created_at DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_social_media_user_platform_identifier (user_id, platform, identifier),
    KEY idx_social_media_identifier (identifier),
    CONSTRAINT fk_social_media_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ===========================================================================
-- Stores (advertisers)
-- ===========================================================================

CREATE TABLE stores (
    id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name               VARCHAR(255)    NOT NULL,
    store_group_id     BIGINT UNSIGNED NOT NULL,
    logo_url           VARCHAR(2048)   NULL,
    country            CHAR(2)         NULL,                -- ISO 3166-1 alpha-2
    currency           CHAR(3)         NOT NULL,            -- ISO 4217; campaigns and budgets of the store use it
    language           CHAR(2)         NULL,                -- ISO 639-1
    commission_rate    DECIMAL(7,6)    NULL,                -- default creator commission (fraction of order value), for previews
    affiliate_provider VARCHAR(64)     NULL,                -- network behind its links (affiliate_link.provider)
    toplist_rank       INT UNSIGNED    NULL,                -- 1 = top; NULL = not on the toplist
    is_active          TINYINT(1)      NOT NULL DEFAULT 1,
    is_self_service    TINYINT(1)      NOT NULL DEFAULT 0,  -- created through POST /v2/stores
    payment_setup_at   DATETIME        NULL,                -- PUT /v2/stores/{id}/payment: when ...
    payment_setup_by   BIGINT UNSIGNED NULL,                -- ... and who
    created_by         BIGINT UNSIGNED NULL,
    created_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    deleted_at         DATETIME        NULL,
    PRIMARY KEY (id),
    KEY idx_stores_group_created (store_group_id, created_at),
    KEY idx_stores_group_toplist (store_group_id, is_active, toplist_rank),
    KEY idx_stores_created_at (created_at),
    KEY idx_stores_name (name),
    KEY idx_stores_payment_setup_by (payment_setup_by),
    KEY idx_stores_created_by (created_by),
    CONSTRAINT fk_stores_store_group FOREIGN KEY (store_group_id) REFERENCES store_groups (id),
    CONSTRAINT fk_stores_payment_setup_by FOREIGN KEY (payment_setup_by) REFERENCES users (id),
    CONSTRAINT fk_stores_created_by FOREIGN KEY (created_by) REFERENCES users (id),
    CONSTRAINT ck_stores_commission CHECK (commission_rate IS NULL OR (commission_rate >= 0 AND commission_rate <= 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Host names whose links become affiliate links for the store. Stored
-- lower-case, without "www."; unique across all stores. Matching a URL looks
-- up the host and each parent domain: WHERE domain IN (...).
CREATE TABLE store_domains (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id   BIGINT UNSIGNED NOT NULL,
    domain     VARCHAR(253)    NOT NULL,
    created_at DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_store_domains_domain (domain),
    KEY idx_store_domains_store (store_id),
    CONSTRAINT fk_store_domains_store FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One billing address per store (self-service stores).
CREATE TABLE store_billing (
    store_id     BIGINT UNSIGNED NOT NULL,
    company_name VARCHAR(255)    NOT NULL,
    street       VARCHAR(255)    NULL,
    postal_code  VARCHAR(32)     NULL,
    city         VARCHAR(255)    NULL,
    vat_number   VARCHAR(64)     NULL,
    created_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (store_id),
    CONSTRAINT fk_store_billing_store FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE store_categories (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name       VARCHAR(255)    NOT NULL,
    created_at DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_store_categories_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Store <-> category (Laravel pivot naming).
CREATE TABLE store_store_category (
    store_id          BIGINT UNSIGNED NOT NULL,
    store_category_id BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (store_id, store_category_id),
    KEY idx_store_store_category_category (store_category_id),
    CONSTRAINT fk_ssc_store FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT fk_ssc_category FOREIGN KEY (store_category_id) REFERENCES store_categories (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Store membership.
CREATE TABLE store_users (
    store_id   BIGINT UNSIGNED NOT NULL,
    user_id    BIGINT UNSIGNED NOT NULL,
    created_at DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (store_id, user_id),
    KEY idx_store_users_user (user_id),
    CONSTRAINT fk_store_users_store FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT fk_store_users_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ===========================================================================
-- User tags and the blocklist
-- ===========================================================================

-- access_level: 0 admin only, 1 everyone, 2 only its store (store_id set).
CREATE TABLE user_tags (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name         VARCHAR(255)    NOT NULL,
    slug         VARCHAR(255)    NOT NULL,
    access_level TINYINT         NOT NULL,
    store_id     BIGINT UNSIGNED NULL,
    created_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_user_tags_store (store_id, access_level),
    KEY idx_user_tags_access_level (access_level, created_at),
    KEY idx_user_tags_created_at (created_at),
    KEY idx_user_tags_name (name),
    KEY idx_user_tags_slug (slug),
    CONSTRAINT fk_user_tags_store FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT ck_user_tags_access_level CHECK (access_level IN (0, 1, 2))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE user_tag_user (
    user_tag_id BIGINT UNSIGNED NOT NULL,
    user_id     BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (user_tag_id, user_id),
    KEY idx_user_tag_user_user (user_id),
    CONSTRAINT fk_user_tag_user_tag FOREIGN KEY (user_tag_id) REFERENCES user_tags (id) ON DELETE CASCADE,
    CONSTRAINT fk_user_tag_user_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per store: a user or a user tag that must not see the store nor convert
-- links for it. Exactly one of user_id / user_tag_id.
CREATE TABLE blocklist_entries (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id    BIGINT UNSIGNED NOT NULL,
    user_id     BIGINT UNSIGNED NULL,
    user_tag_id BIGINT UNSIGNED NULL,
    created_by  BIGINT UNSIGNED NOT NULL,
    created_at  DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_blocklist_store_user (store_id, user_id),
    UNIQUE KEY uq_blocklist_store_user_tag (store_id, user_tag_id),
    KEY idx_blocklist_store_created (store_id, created_at),
    KEY idx_blocklist_user (user_id),
    KEY idx_blocklist_user_tag (user_tag_id),
    KEY idx_blocklist_created_by (created_by),
    CONSTRAINT fk_blocklist_store FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT fk_blocklist_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_blocklist_user_tag FOREIGN KEY (user_tag_id) REFERENCES user_tags (id) ON DELETE CASCADE,
    CONSTRAINT fk_blocklist_created_by FOREIGN KEY (created_by) REFERENCES users (id),
    CONSTRAINT ck_blocklist_one_target CHECK ((user_id IS NULL) <> (user_tag_id IS NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ===========================================================================
-- Campaigns (offers)
-- ===========================================================================

-- A budget several offers of one store draw from. amount in minor units of
-- the store's currency; consumed_budget is computed from clicks.cost and
-- orders.commission of the offers drawing from it.
CREATE TABLE shared_budgets (
    id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id   BIGINT UNSIGNED NOT NULL,
    title      VARCHAR(255)    NOT NULL,
    amount     BIGINT UNSIGNED NOT NULL DEFAULT 0,
    created_by BIGINT UNSIGNED NULL,
    created_at DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_shared_budgets_store (store_id, created_at),
    KEY idx_shared_budgets_created_by (created_by),
    CONSTRAINT fk_shared_budgets_store FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE,
    CONSTRAINT fk_shared_budgets_created_by FOREIGN KEY (created_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Derived status: deleted (deleted_at) > paused (paused_at) > scheduled
-- (valid_from > now) > ended (valid_until < now) > active.
-- Currency: the store's. Money columns in minor units.
CREATE TABLE offers (
    id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    store_id            BIGINT UNSIGNED NOT NULL,
    store_group_id      BIGINT UNSIGNED NULL,
    shared_budget_id    BIGINT UNSIGNED NULL,
    created_by          BIGINT UNSIGNED NOT NULL,
    type                ENUM('standard','suggestion') NOT NULL DEFAULT 'standard',
    name                VARCHAR(255)    NOT NULL,           -- internal name
    campaign_title      VARCHAR(255)    NOT NULL DEFAULT '',
    campaign_text       TEXT            NULL,
    image_path          VARCHAR(1024)   NULL,               -- path under the media directory
    token               CHAR(16) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,  -- [a-z0-9]{16}, exact match
    has_product_seeding TINYINT(1)      NOT NULL DEFAULT 0,
    has_onetime_payment TINYINT(1)      NOT NULL DEFAULT 0,
    one_time_payment    BIGINT UNSIGNED NULL,               -- minor units
    per_user_limit      TINYINT(1)      NOT NULL DEFAULT 0, -- max_clicks applies per participant
    budget_limit        BIGINT UNSIGNED NULL,               -- minor units
    max_clicks          INT UNSIGNED    NULL,               -- click limit
    valid_from          DATETIME        NULL,
    valid_until         DATETIME        NULL,
    show_for_advertiser TINYINT(1)      NOT NULL DEFAULT 0,
    priority_after      INT UNSIGNED    NULL,
    paused_at           DATETIME        NULL,
    deleted_at          DATETIME        NULL,
    created_at          DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at          DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_offers_token (token),
    KEY idx_offers_store_created (store_id, created_at),
    KEY idx_offers_store_window (store_id, deleted_at, paused_at, valid_from, valid_until),
    KEY idx_offers_created_by (created_by, created_at),
    KEY idx_offers_group_created (store_group_id, created_at),
    KEY idx_offers_shared_budget (shared_budget_id),
    KEY idx_offers_valid_until (valid_until),
    KEY idx_offers_created_at (created_at),
    CONSTRAINT fk_offers_store FOREIGN KEY (store_id) REFERENCES stores (id),
    CONSTRAINT fk_offers_store_group FOREIGN KEY (store_group_id) REFERENCES store_groups (id),
    CONSTRAINT fk_offers_shared_budget FOREIGN KEY (shared_budget_id) REFERENCES shared_budgets (id) ON DELETE SET NULL,
    CONSTRAINT fk_offers_created_by FOREIGN KEY (created_by) REFERENCES users (id),
    CONSTRAINT ck_offers_token CHECK (token REGEXP '^[a-z0-9]{16}$'),
    CONSTRAINT ck_offers_window CHECK (valid_from IS NULL OR valid_until IS NULL OR valid_until > valid_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The campaign's todo list, in order. todo_key is what clients send in
-- PATCH .../participants/{id}/todo.
CREATE TABLE offer_todo_items (
    id         BIGINT UNSIGNED   NOT NULL AUTO_INCREMENT,
    offer_id   BIGINT UNSIGNED   NOT NULL,
    position   SMALLINT UNSIGNED NOT NULL DEFAULT 0,
    todo_key   VARCHAR(255)      NOT NULL,
    text       VARCHAR(255)      NOT NULL,
    created_at DATETIME          NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME          NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_offer_todo_items_key (offer_id, todo_key),
    KEY idx_offer_todo_items_position (offer_id, position),
    CONSTRAINT fk_offer_todo_items_offer FOREIGN KEY (offer_id) REFERENCES offers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Costs per traffic source: 0 General, 1 Instagram, 2 TikTok, 3 YouTube, 4 Blog.
-- cpc / invoice_cpc in minor units; cpa / invoice_cpa / user_revenue fractions.
-- invoice_* NULL = same as cpc / cpa.
CREATE TABLE offer_traffic_source_costs (
    id           BIGINT UNSIGNED  NOT NULL AUTO_INCREMENT,
    offer_id     BIGINT UNSIGNED  NOT NULL,
    source       TINYINT UNSIGNED NOT NULL,
    cpc          BIGINT UNSIGNED  NOT NULL DEFAULT 0,
    invoice_cpc  BIGINT UNSIGNED  NULL,
    cpa          DECIMAL(7,6)     NOT NULL DEFAULT 0,
    invoice_cpa  DECIMAL(7,6)     NULL,
    user_revenue DECIMAL(7,6)     NOT NULL DEFAULT 1,
    created_at   DATETIME         NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   DATETIME         NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_offer_costs_offer_source (offer_id, source),
    CONSTRAINT fk_offer_costs_offer FOREIGN KEY (offer_id) REFERENCES offers (id) ON DELETE CASCADE,
    CONSTRAINT ck_offer_costs_source CHECK (source <= 4),
    CONSTRAINT ck_offer_costs_fractions CHECK (cpa <= 1 AND (invoice_cpa IS NULL OR invoice_cpa <= 1)
                                               AND user_revenue <= 1),
    CONSTRAINT ck_offer_costs_nonneg CHECK (cpa >= 0 AND (invoice_cpa IS NULL OR invoice_cpa >= 0)
                                            AND user_revenue >= 0)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who the campaign is for. One row per target; `kind` says which column is
-- set (exactly one). Duplicates are refused by the unique keys (NULLs do not
-- collide), so INSERT IGNORE adds without duplicating.
CREATE TABLE offer_targets (
    id                      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    offer_id                BIGINT UNSIGNED NOT NULL,
    kind                    ENUM('user','user_tag','store_group','email',
                                 'social_media_identifier','client','revenue_tier') NOT NULL,
    user_id                 BIGINT UNSIGNED NULL,
    user_tag_id             BIGINT UNSIGNED NULL,
    store_group_id          BIGINT UNSIGNED NULL,
    client_id               BIGINT UNSIGNED NULL,
    revenue_tier_id         BIGINT UNSIGNED NULL,
    email                   VARCHAR(255)    NULL,
    social_media_identifier VARCHAR(255)    NULL,
    created_at              DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_offer_targets_user (offer_id, user_id),
    UNIQUE KEY uq_offer_targets_user_tag (offer_id, user_tag_id),
    UNIQUE KEY uq_offer_targets_store_group (offer_id, store_group_id),
    UNIQUE KEY uq_offer_targets_client (offer_id, client_id),
    UNIQUE KEY uq_offer_targets_revenue_tier (offer_id, revenue_tier_id),
    UNIQUE KEY uq_offer_targets_email (offer_id, email),
    UNIQUE KEY uq_offer_targets_identifier (offer_id, social_media_identifier),
    KEY idx_offer_targets_offer_kind (offer_id, kind),
    -- reverse look-ups: "which offers target this user / tag / client / ..."
    KEY idx_offer_targets_user (user_id),
    KEY idx_offer_targets_user_tag (user_tag_id),
    KEY idx_offer_targets_store_group (store_group_id),
    KEY idx_offer_targets_client (client_id),
    KEY idx_offer_targets_revenue_tier (revenue_tier_id),
    KEY idx_offer_targets_email (email),
    KEY idx_offer_targets_identifier (social_media_identifier),
    CONSTRAINT fk_offer_targets_offer FOREIGN KEY (offer_id) REFERENCES offers (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_targets_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_targets_user_tag FOREIGN KEY (user_tag_id) REFERENCES user_tags (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_targets_store_group FOREIGN KEY (store_group_id) REFERENCES store_groups (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_targets_client FOREIGN KEY (client_id) REFERENCES clients (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_targets_revenue_tier FOREIGN KEY (revenue_tier_id) REFERENCES revenue_tiers (id) ON DELETE CASCADE,
    CONSTRAINT ck_offer_targets_one CHECK (
        (user_id IS NOT NULL) + (user_tag_id IS NOT NULL) + (store_group_id IS NOT NULL)
        + (client_id IS NOT NULL) + (revenue_tier_id IS NOT NULL) + (email IS NOT NULL)
        + (social_media_identifier IS NOT NULL) = 1),
    CONSTRAINT ck_offer_targets_kind CHECK (
           (kind = 'user'                    AND user_id IS NOT NULL)
        OR (kind = 'user_tag'                AND user_tag_id IS NOT NULL)
        OR (kind = 'store_group'             AND store_group_id IS NOT NULL)
        OR (kind = 'client'                  AND client_id IS NOT NULL)
        OR (kind = 'revenue_tier'            AND revenue_tier_id IS NOT NULL)
        OR (kind = 'email'                   AND email IS NOT NULL)
        OR (kind = 'social_media_identifier' AND social_media_identifier IS NOT NULL))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Participants (offer users): a user, or an invited email / identifier not
-- yet a user (user_id NULL). clicks shown by the API = click_count.
-- click_limit overrides offers.max_clicks for this participant (NULL = none).
CREATE TABLE offer_users (
    id                        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    offer_id                  BIGINT UNSIGNED NOT NULL,
    user_id                   BIGINT UNSIGNED NULL,
    pre_registered_email      VARCHAR(255)    NULL,
    pre_registered_identifier VARCHAR(255)    NULL,
    status                    ENUM('suggestion','open','accepted','product_sent',
                                   'have_received','done','store_denied') NOT NULL DEFAULT 'open',
    click_count               BIGINT UNSIGNED NOT NULL DEFAULT 0,
    click_limit               INT UNSIGNED    NULL,
    payment_amount            BIGINT UNSIGNED NULL,         -- minor units (one-time payment agreed)
    joined_at                 DATETIME        NULL,
    created_at                DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at                DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_offer_users_offer_user (offer_id, user_id),
    UNIQUE KEY uq_offer_users_offer_email (offer_id, pre_registered_email),
    UNIQUE KEY uq_offer_users_offer_identifier (offer_id, pre_registered_identifier),
    KEY idx_offer_users_offer (offer_id),                 -- (offer_id, id): a page of an offer's participants
    KEY idx_offer_users_offer_status (offer_id, status),
    KEY idx_offer_users_user_status (user_id, status),
    KEY idx_offer_users_email (pre_registered_email),
    KEY idx_offer_users_identifier (pre_registered_identifier),
    CONSTRAINT fk_offer_users_offer FOREIGN KEY (offer_id) REFERENCES offers (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_users_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT ck_offer_users_who CHECK (user_id IS NOT NULL OR pre_registered_email IS NOT NULL
                                         OR pre_registered_identifier IS NOT NULL)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A participant's state of each todo item (no row = not done).
CREATE TABLE offer_user_todos (
    offer_user_id      BIGINT UNSIGNED NOT NULL,
    offer_todo_item_id BIGINT UNSIGNED NOT NULL,
    is_done            TINYINT(1)      NOT NULL DEFAULT 0,
    updated_by         BIGINT UNSIGNED NULL,
    updated_at         DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (offer_user_id, offer_todo_item_id),
    KEY idx_offer_user_todos_item (offer_todo_item_id),
    KEY idx_offer_user_todos_updated_by (updated_by),
    CONSTRAINT fk_offer_user_todos_offer_user FOREIGN KEY (offer_user_id) REFERENCES offer_users (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_user_todos_item FOREIGN KEY (offer_todo_item_id) REFERENCES offer_todo_items (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_user_todos_updated_by FOREIGN KEY (updated_by) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Per-participant cost overrides per traffic source. NULL = campaign's value.
-- currency is the campaign's (checked by the API), kept for the record.
CREATE TABLE offer_user_cost_overrides (
    id            BIGINT UNSIGNED  NOT NULL AUTO_INCREMENT,
    offer_user_id BIGINT UNSIGNED  NOT NULL,
    source        TINYINT UNSIGNED NOT NULL,
    cpc           BIGINT UNSIGNED  NULL,                    -- minor units
    cpa           DECIMAL(7,6)     NULL,
    currency      CHAR(3)          NOT NULL,
    created_at    DATETIME         NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME         NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_offer_user_cost_overrides (offer_user_id, source),
    CONSTRAINT fk_offer_user_cost_overrides_ou FOREIGN KEY (offer_user_id) REFERENCES offer_users (id) ON DELETE CASCADE,
    CONSTRAINT ck_offer_user_cost_overrides_source CHECK (source <= 4),
    CONSTRAINT ck_offer_user_cost_overrides_cpa CHECK (cpa IS NULL OR (cpa >= 0 AND cpa <= 1))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE offer_user_comments (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    offer_user_id BIGINT UNSIGNED NOT NULL,
    author_id     BIGINT UNSIGNED NOT NULL,
    comment       TEXT            NOT NULL,                 -- 1-5000 characters
    created_at    DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    deleted_at    DATETIME        NULL,
    PRIMARY KEY (id),
    KEY idx_offer_user_comments_ou (offer_user_id, created_at),
    KEY idx_offer_user_comments_author (author_id),
    CONSTRAINT fk_offer_user_comments_ou FOREIGN KEY (offer_user_id) REFERENCES offer_users (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_user_comments_author FOREIGN KEY (author_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The card's activity log, written in the same transaction as the change.
-- type: added, joined, status_changed, todo_changed, click_limit_overridden,
-- costs_overridden, comment_added, comment_updated, comment_deleted, ...
-- actor_id NULL = the system. Newest first: ORDER BY created_at DESC, id DESC.
CREATE TABLE offer_user_activities (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    offer_user_id BIGINT UNSIGNED NOT NULL,
    actor_id      BIGINT UNSIGNED NULL,
    type          VARCHAR(64)     NOT NULL,
    data          JSON            NULL,
    created_at    DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_offer_user_activities_ou (offer_user_id, created_at, id),
    KEY idx_offer_user_activities_actor (actor_id),
    CONSTRAINT fk_offer_user_activities_ou FOREIGN KEY (offer_user_id) REFERENCES offer_users (id) ON DELETE CASCADE,
    CONSTRAINT fk_offer_user_activities_actor FOREIGN KEY (actor_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ===========================================================================
-- Affiliate links and return ads
-- ===========================================================================

-- A creator's tracked link to a store page. mtpc_url = {short_link_base}/{id}.
-- url: the tracking (network) URL; original_url: what the creator gave.
CREATE TABLE affiliate_links (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id      BIGINT UNSIGNED NOT NULL,
    store_id     BIGINT UNSIGNED NOT NULL,
    offer_id     BIGINT UNSIGNED NULL,                      -- campaign it was made for, if any
    url          VARCHAR(2048)   NOT NULL,
    original_url VARCHAR(2048)   NOT NULL,
    country      CHAR(2)         NULL,
    provider     VARCHAR(64)     NULL,
    created_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_affiliate_links_user (user_id, created_at),
    KEY idx_affiliate_links_store_user (store_id, user_id, created_at),   -- links_created per participant
    KEY idx_affiliate_links_offer (offer_id, user_id, created_at),
    CONSTRAINT fk_affiliate_links_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_affiliate_links_store FOREIGN KEY (store_id) REFERENCES stores (id),
    CONSTRAINT fk_affiliate_links_offer FOREIGN KEY (offer_id) REFERENCES offers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An ad shown on advertisers' pages linking back to store_id (the
-- advertiser) through affiliate_link_id. Derived status as offers, with
-- starts_at / ends_at. current_clicks / current_views are counters kept by
-- the tracker; click_limit / view_limit NULL = unlimited.
CREATE TABLE return_ads (
    id                          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    name                        VARCHAR(255)    NOT NULL,
    store_group_id              BIGINT UNSIGNED NOT NULL,   -- advertiser_group_id
    store_id                    BIGINT UNSIGNED NOT NULL,   -- advertiser_id
    affiliate_link_id           BIGINT UNSIGNED NULL,       -- from return_link
    author_id                   BIGINT UNSIGNED NOT NULL,
    display_for_all_advertisers TINYINT(1)      NOT NULL DEFAULT 0,
    styles                      JSON            NULL,
    image_path                  VARCHAR(1024)   NULL,
    click_limit                 INT UNSIGNED    NULL,
    view_limit                  INT UNSIGNED    NULL,
    current_clicks              BIGINT UNSIGNED NOT NULL DEFAULT 0,
    current_views               BIGINT UNSIGNED NOT NULL DEFAULT 0,
    starts_at                   DATETIME        NULL,
    ends_at                     DATETIME        NULL,
    paused_at                   DATETIME        NULL,
    deleted_at                  DATETIME        NULL,
    created_at                  DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at                  DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_return_ads_group_created (store_group_id, created_at),
    KEY idx_return_ads_store_created (store_id, created_at),
    KEY idx_return_ads_window (deleted_at, paused_at, starts_at, ends_at),
    KEY idx_return_ads_display_all (display_for_all_advertisers, store_group_id),
    KEY idx_return_ads_author (author_id, created_at),
    KEY idx_return_ads_affiliate_link (affiliate_link_id),
    KEY idx_return_ads_created_at (created_at),
    KEY idx_return_ads_name (name),
    KEY idx_return_ads_starts_at (starts_at),
    KEY idx_return_ads_ends_at (ends_at),
    KEY idx_return_ads_clicks (current_clicks),
    KEY idx_return_ads_views (current_views),
    CONSTRAINT fk_return_ads_store_group FOREIGN KEY (store_group_id) REFERENCES store_groups (id),
    CONSTRAINT fk_return_ads_store FOREIGN KEY (store_id) REFERENCES stores (id),
    CONSTRAINT fk_return_ads_affiliate_link FOREIGN KEY (affiliate_link_id) REFERENCES affiliate_links (id),
    CONSTRAINT fk_return_ads_author FOREIGN KEY (author_id) REFERENCES users (id),
    CONSTRAINT ck_return_ads_window CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Advertisers a return ad is shown on (when not display_for_all_advertisers).
CREATE TABLE return_ad_advertisers (
    return_ad_id BIGINT UNSIGNED NOT NULL,
    store_id     BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (return_ad_id, store_id),
    KEY idx_return_ad_advertisers_store (store_id),
    CONSTRAINT fk_return_ad_advertisers_ad FOREIGN KEY (return_ad_id) REFERENCES return_ads (id) ON DELETE CASCADE,
    CONSTRAINT fk_return_ad_advertisers_store FOREIGN KEY (store_id) REFERENCES stores (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Advertiser categories a return ad is shown on.
CREATE TABLE return_ad_categories (
    return_ad_id      BIGINT UNSIGNED NOT NULL,
    store_category_id BIGINT UNSIGNED NOT NULL,
    PRIMARY KEY (return_ad_id, store_category_id),
    KEY idx_return_ad_categories_category (store_category_id),
    CONSTRAINT fk_return_ad_categories_ad FOREIGN KEY (return_ad_id) REFERENCES return_ads (id) ON DELETE CASCADE,
    CONSTRAINT fk_return_ad_categories_category FOREIGN KEY (store_category_id) REFERENCES store_categories (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ===========================================================================
-- Tracked events
-- ===========================================================================

-- One click on a tracked link. cost = what the store is invoiced (invoice
-- cpc), earning = what the creator earns (cpc after overrides / revenue
-- share); both minor units of `currency`. Unique clicks: COUNT(DISTINCT
-- visitor_hash). user_id = the creator credited (link owner).
CREATE TABLE clicks (
    id                BIGINT UNSIGNED  NOT NULL AUTO_INCREMENT,
    occurred_at       DATETIME         NOT NULL,
    store_id          BIGINT UNSIGNED  NOT NULL,
    user_id           BIGINT UNSIGNED  NULL,
    affiliate_link_id BIGINT UNSIGNED  NULL,
    offer_id          BIGINT UNSIGNED  NULL,
    return_ad_id      BIGINT UNSIGNED  NULL,
    source            TINYINT UNSIGNED NOT NULL DEFAULT 0,
    cost              BIGINT UNSIGNED  NOT NULL DEFAULT 0,
    earning           BIGINT UNSIGNED  NOT NULL DEFAULT 0,
    currency          CHAR(3)          NOT NULL,
    visitor_hash      BINARY(16)       NULL,
    country           CHAR(2)          NULL,
    PRIMARY KEY (id),
    KEY idx_clicks_offer_time (offer_id, occurred_at),
    KEY idx_clicks_offer_user_time (offer_id, user_id, occurred_at),
    KEY idx_clicks_return_ad_time (return_ad_id, occurred_at),
    KEY idx_clicks_user_time (user_id, occurred_at),
    KEY idx_clicks_store_time (store_id, occurred_at),
    KEY idx_clicks_link (affiliate_link_id),
    CONSTRAINT fk_clicks_store FOREIGN KEY (store_id) REFERENCES stores (id),
    CONSTRAINT fk_clicks_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_clicks_link FOREIGN KEY (affiliate_link_id) REFERENCES affiliate_links (id),
    CONSTRAINT fk_clicks_offer FOREIGN KEY (offer_id) REFERENCES offers (id),
    CONSTRAINT fk_clicks_return_ad FOREIGN KEY (return_ad_id) REFERENCES return_ads (id),
    CONSTRAINT ck_clicks_source CHECK (source <= 4)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One order attributed to a click / link. order_value, commission (what the
-- store pays for it: the campaign's cost) and earning (the creator's part)
-- in minor units of `currency`; negative for refunds.
CREATE TABLE orders (
    id                BIGINT UNSIGNED  NOT NULL AUTO_INCREMENT,
    occurred_at       DATETIME         NOT NULL,
    store_id          BIGINT UNSIGNED  NOT NULL,
    user_id           BIGINT UNSIGNED  NULL,
    affiliate_link_id BIGINT UNSIGNED  NULL,
    click_id          BIGINT UNSIGNED  NULL,
    offer_id          BIGINT UNSIGNED  NULL,
    return_ad_id      BIGINT UNSIGNED  NULL,
    source            TINYINT UNSIGNED NOT NULL DEFAULT 0,
    external_id       VARCHAR(128)     NULL,                -- the network's / store's order reference
    status            ENUM('pending','approved','rejected') NOT NULL DEFAULT 'pending',
    order_value       BIGINT           NOT NULL DEFAULT 0,
    commission        BIGINT           NOT NULL DEFAULT 0,
    earning           BIGINT           NOT NULL DEFAULT 0,
    currency          CHAR(3)          NOT NULL,
    created_at        DATETIME         NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at        DATETIME         NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_orders_store_external (store_id, external_id),
    KEY idx_orders_offer_time (offer_id, occurred_at),
    KEY idx_orders_offer_user_time (offer_id, user_id, occurred_at),
    KEY idx_orders_return_ad_time (return_ad_id, occurred_at),
    KEY idx_orders_user_time (user_id, occurred_at),
    KEY idx_orders_store_time (store_id, occurred_at),
    KEY idx_orders_link (affiliate_link_id),
    KEY idx_orders_click (click_id),
    CONSTRAINT fk_orders_store FOREIGN KEY (store_id) REFERENCES stores (id),
    CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_orders_link FOREIGN KEY (affiliate_link_id) REFERENCES affiliate_links (id),
    CONSTRAINT fk_orders_click FOREIGN KEY (click_id) REFERENCES clicks (id),
    CONSTRAINT fk_orders_offer FOREIGN KEY (offer_id) REFERENCES offers (id),
    CONSTRAINT fk_orders_return_ad FOREIGN KEY (return_ad_id) REFERENCES return_ads (id),
    CONSTRAINT ck_orders_source CHECK (source <= 4)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ===========================================================================
-- Creator media
-- ===========================================================================

-- Posts captured by Metapic. user_id NULL when not matched to a user yet.
-- show_store: 0, 1, 2 as the API's `status` filter. media_content_type /
-- media_href make the `media` object (absent when both NULL).
CREATE TABLE user_media (
    id                 BIGINT UNSIGNED  NOT NULL AUTO_INCREMENT,
    user_id            BIGINT UNSIGNED  NULL,
    store_group_id     BIGINT UNSIGNED  NULL,               -- the `group` filter
    media_type         ENUM('instagram','tiktok','youtube') NOT NULL,
    media_id           VARCHAR(255)     NULL,               -- id on the platform
    username           VARCHAR(255)     NOT NULL,           -- handle on the platform
    tag_id             BIGINT UNSIGNED  NULL,
    favorite           TINYINT(1)       NOT NULL DEFAULT 0,
    show_store         TINYINT UNSIGNED NOT NULL DEFAULT 0,
    published_at       DATE             NULL,               -- when posted
    media_content_type VARCHAR(127)     NULL,
    media_href         VARCHAR(2048)    NULL,
    created_at         DATETIME         NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at         DATETIME         NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    KEY idx_user_media_username (username),
    KEY idx_user_media_group (store_group_id, id),
    KEY idx_user_media_type (media_type, id),
    KEY idx_user_media_show_store (show_store, id),
    KEY idx_user_media_favorite (favorite, id),
    KEY idx_user_media_user (user_id),
    KEY idx_user_media_published (published_at),
    KEY idx_user_media_platform_id (media_type, media_id),
    CONSTRAINT fk_user_media_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT fk_user_media_store_group FOREIGN KEY (store_group_id) REFERENCES store_groups (id),
    CONSTRAINT ck_user_media_show_store CHECK (show_store IN (0, 1, 2))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ===========================================================================
-- Creator payouts
-- ===========================================================================

-- What a creator earned in a month (payment_period 'YYYY-MM'), minor units.
CREATE TABLE payments (
    id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id        BIGINT UNSIGNED NOT NULL,
    payment_period CHAR(7)         NOT NULL,
    amount         BIGINT          NOT NULL DEFAULT 0,
    currency       CHAR(3)         NOT NULL,
    paid_at        DATETIME        NULL,
    created_at     DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_payments_user_period_currency (user_id, payment_period, currency),
    KEY idx_payments_period (payment_period),
    CONSTRAINT fk_payments_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT ck_payments_period CHECK (payment_period REGEXP '^[0-9]{4}-(0[1-9]|1[0-2])$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A payment's part per store.
CREATE TABLE payment_parts (
    id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    payment_id  BIGINT UNSIGNED NOT NULL,
    store_id    BIGINT UNSIGNED NOT NULL,
    amount      BIGINT          NOT NULL DEFAULT 0,
    click_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
    order_count BIGINT UNSIGNED NOT NULL DEFAULT 0,
    created_at  DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_payment_parts_payment_store (payment_id, store_id),
    KEY idx_payment_parts_store (store_id),
    CONSTRAINT fk_payment_parts_payment FOREIGN KEY (payment_id) REFERENCES payments (id) ON DELETE CASCADE,
    CONSTRAINT fk_payment_parts_store FOREIGN KEY (store_id) REFERENCES stores (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Invoice files (self-billing) per creator and month; file_path under the
-- invoice directory. Marking paid sets paid_at (idempotent).
CREATE TABLE invoices (
    id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    number         VARCHAR(64)     NOT NULL,
    user_id        BIGINT UNSIGNED NOT NULL,
    payment_id     BIGINT UNSIGNED NULL,
    payment_period CHAR(7)         NOT NULL,
    amount         BIGINT          NOT NULL DEFAULT 0,
    currency       CHAR(3)         NOT NULL,
    file_path      VARCHAR(1024)   NULL,
    paid_at        DATETIME        NULL,
    created_at     DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY uq_invoices_number (number),
    UNIQUE KEY uq_invoices_payment (payment_id),
    KEY idx_invoices_period (payment_period),
    KEY idx_invoices_user_period (user_id, payment_period),
    CONSTRAINT fk_invoices_user FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT fk_invoices_payment FOREIGN KEY (payment_id) REFERENCES payments (id),
    CONSTRAINT ck_invoices_period CHECK (payment_period REGEXP '^[0-9]{4}-(0[1-9]|1[0-2])$')
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- ===========================================================================
-- Export jobs and temporary uploads
-- ===========================================================================

-- Job queue for metapic-export-worker. Claim:
--   SELECT id FROM exports WHERE status = 'queued' ORDER BY created_at, id
--   LIMIT 1 FOR UPDATE SKIP LOCKED
-- then status = 'running', claimed_at, heartbeat_at, worker. A running job
-- whose heartbeat_at is older than the time-out is claimed again.
-- kind: offers, user_media. filters: the validated list filters.
CREATE TABLE exports (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id      BIGINT UNSIGNED NOT NULL,
    kind         VARCHAR(32)     NOT NULL,
    format       ENUM('csv','xlsx','json') NOT NULL,
    filters      JSON            NOT NULL,
    status       ENUM('queued','running','done','failed') NOT NULL DEFAULT 'queued',
    attempts     INT UNSIGNED    NOT NULL DEFAULT 0,
    row_count    BIGINT UNSIGNED NULL,
    size_bytes   BIGINT UNSIGNED NULL,
    file_path    VARCHAR(1024)   NULL,
    error        VARCHAR(1024)   NULL,
    claimed_at   DATETIME        NULL,
    heartbeat_at DATETIME        NULL,
    worker       VARCHAR(255)    NULL,                      -- host:pid of the claiming worker
    created_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    finished_at  DATETIME        NULL,
    PRIMARY KEY (id),
    KEY idx_exports_status_created (status, created_at),
    KEY idx_exports_status_heartbeat (status, heartbeat_at),
    KEY idx_exports_status_finished (status, finished_at),
    KEY idx_exports_user (user_id, created_at),
    CONSTRAINT fk_exports_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- POST /v2/image-uploads: files under tmp/ of the media directory. used_at
-- set when a campaign / return ad takes the image; unused ones older than a
-- day are removed by the worker.
CREATE TABLE image_uploads (
    id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    user_id      BIGINT UNSIGNED NOT NULL,
    path         VARCHAR(512)    NOT NULL,
    content_type VARCHAR(64)     NOT NULL,
    size_bytes   BIGINT UNSIGNED NOT NULL DEFAULT 0,
    created_at   DATETIME        NOT NULL DEFAULT CURRENT_TIMESTAMP,
    used_at      DATETIME        NULL,
    PRIMARY KEY (id),
    UNIQUE KEY uq_image_uploads_path (path),
    KEY idx_image_uploads_unused (used_at, created_at),
    KEY idx_image_uploads_user (user_id, created_at),
    CONSTRAINT fk_image_uploads_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
