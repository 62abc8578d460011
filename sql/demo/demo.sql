-- sql/demo/demo.sql: demo data for a fresh database (loaded once by
-- `scripts/migrate --demo` when users is empty). Fixed ids are documented in
-- sql/README; tests rely on them.
--
-- created_at values are fixed (2025-01/02), distinct per row in small
-- tables, so sort_by=created_at is deterministic. Clicks, orders and most
-- affiliate links are relative to the load time (the last 60 days, UTC), so
-- stats for "the last N days" always show something. Statuses are
-- deterministic: active campaigns end in 2029+, scheduled ones start in 2099,
-- ended ones ended in 2025.
--
-- Money: minor units (15000 = 150.00 SEK); fractions as DECIMAL.

SET time_zone = '+00:00';
START TRANSACTION;

-- ==========================================================================
-- Markets, networks, users
-- ==========================================================================

-- Advertiser groups (markets). Return ads enabled in 1 and 3.
INSERT INTO store_groups (id, name, `key`, currency, return_ad_enabled, created_at, updated_at) VALUES
    (1, 'Metapic Sweden', 'sv_SE', 'SEK', 1, '2025-01-01 08:00:00', '2025-01-01 08:00:00'),
    (2, 'Metapic Norway', 'nb_NO', 'NOK', 0, '2025-01-01 09:00:00', '2025-01-01 09:00:00'),
    (3, 'Metapic Poland', 'pl_PL', 'PLN', 1, '2025-01-01 10:00:00', '2025-01-01 10:00:00'),
    (4, 'Metapic Denmark', 'da_DK', 'DKK', 0, '2025-01-01 11:00:00', '2025-01-01 11:00:00');

-- Clients (creator networks): 1 SE, 2 NO, 3 PL, 4 SE with its own payment system.
INSERT INTO clients (id, name, client_id, store_group_id, has_own_payment_system, revenue_share, created_at, updated_at) VALUES
    (1, 'Nordic Creators Network', 'fxaqOFZfX3', 1, 0, 1.0000, '2025-01-01 12:00:00', '2025-01-01 12:00:00'),
    (2, 'Fjellet Influence AS', 'qsNAR5BGhV', 2, 0, 0.9000, '2025-01-01 13:00:00', '2025-01-01 13:00:00'),
    (3, 'Polscy Twórcy', 'Kp3xW9mTqL', 3, 0, 0.8500, '2025-01-01 14:00:00', '2025-01-01 14:00:00'),
    (4, 'Stockholm Talent Agency', 'Zr7bN2vYhD', 1, 1, 0.8000, '2025-01-01 15:00:00', '2025-01-01 15:00:00');

-- Revenue tiers of clients 1 and 2.
INSERT INTO revenue_tiers (id, client_id, name, revenue_share, created_at, updated_at) VALUES
    (1, 1, 'Bronze', 0.7000, '2025-01-01 16:00:00', '2025-01-01 16:00:00'),
    (2, 1, 'Silver', 0.8000, '2025-01-01 16:10:00', '2025-01-01 16:10:00'),
    (3, 1, 'Gold', 0.9000, '2025-01-01 16:20:00', '2025-01-01 16:20:00'),
    (4, 2, 'Standard', 0.7500, '2025-01-01 16:30:00', '2025-01-01 16:30:00'),
    (5, 2, 'Premium', 0.8500, '2025-01-01 16:40:00', '2025-01-01 16:40:00');

-- Users. 1 admin, 2 member of store 1, 3 creator.one (client 1), 4 member of store 2,
-- 5 creator.two (client 2, blocklisted by store 1). 6-20 client 1, 21-30 client 2,
-- 31-40 client 3, 41-45 client 4: 45 users, 3 pages of 20.
INSERT INTO users (id, username, email, client_id, revenue_tier_id, is_admin, ax_id, created_at, updated_at) VALUES
    (1, 'admin', 'admin@demo.metapic.test', NULL, NULL, 1, NULL, '2025-01-02 10:00:00', '2025-01-02 10:00:00'),
    (2, 'store1.member', 'store1.member@demo.metapic.test', NULL, NULL, 0, NULL, '2025-01-02 11:00:00', '2025-01-02 11:00:00'),
    (3, 'creator.one', 'creator.one@demo.metapic.test', 1, 3, 0, 'AX-100003', '2025-01-02 12:00:00', '2025-01-02 12:00:00'),
    (4, 'store2.member', 'store2.member@demo.metapic.test', NULL, NULL, 0, NULL, '2025-01-02 13:00:00', '2025-01-02 13:00:00'),
    (5, 'creator.two', 'creator.two@demo.metapic.test', 2, 4, 0, 'AX-100005', '2025-01-02 14:00:00', '2025-01-02 14:00:00'),
    (6, 'anna.lindqvist', 'anna.lindqvist@demo.metapic.test', 1, 1, 0, 'AX-100006', '2025-01-02 15:00:00', '2025-01-02 15:00:00'),
    (7, 'erik.johansson', 'erik.johansson@demo.metapic.test', 1, 2, 0, NULL, '2025-01-02 16:00:00', '2025-01-02 16:00:00'),
    (8, 'sara.nilsson', 'sara.nilsson@demo.metapic.test', 1, 3, 0, NULL, '2025-01-02 17:00:00', '2025-01-02 17:00:00'),
    (9, 'johan.berg', 'johan.berg@demo.metapic.test', 1, NULL, 0, 'AX-100009', '2025-01-02 18:00:00', '2025-01-02 18:00:00'),
    (10, 'emma.karlsson', 'emma.karlsson@demo.metapic.test', 1, 1, 0, NULL, '2025-01-02 19:00:00', '2025-01-02 19:00:00'),
    (11, 'oscar.andersson', 'oscar.andersson@demo.metapic.test', 1, 2, 0, NULL, '2025-01-02 20:00:00', '2025-01-02 20:00:00'),
    (12, 'maja.persson', 'maja.persson@demo.metapic.test', 1, 3, 0, 'AX-100012', '2025-01-02 21:00:00', '2025-01-02 21:00:00'),
    (13, 'lucas.svensson', 'lucas.svensson@demo.metapic.test', 1, NULL, 0, NULL, '2025-01-02 22:00:00', '2025-01-02 22:00:00'),
    (14, 'elsa.gustafsson', 'elsa.gustafsson@demo.metapic.test', 1, 1, 0, NULL, '2025-01-02 23:00:00', '2025-01-02 23:00:00'),
    (15, 'hugo.larsson', 'hugo.larsson@demo.metapic.test', 1, 2, 0, 'AX-100015', '2025-01-03 00:00:00', '2025-01-03 00:00:00'),
    (16, 'alice.olsson', 'alice.olsson@demo.metapic.test', 1, 3, 0, NULL, '2025-01-03 01:00:00', '2025-01-03 01:00:00'),
    (17, 'william.eriksson', 'william.eriksson@demo.metapic.test', 1, NULL, 0, NULL, '2025-01-03 02:00:00', '2025-01-03 02:00:00'),
    (18, 'ebba.jonsson', 'ebba.jonsson@demo.metapic.test', 1, 1, 0, 'AX-100018', '2025-01-03 03:00:00', '2025-01-03 03:00:00'),
    (19, 'liam.holm', 'liam.holm@demo.metapic.test', 1, 2, 0, NULL, '2025-01-03 04:00:00', '2025-01-03 04:00:00'),
    (20, 'wilma.sandberg', 'wilma.sandberg@demo.metapic.test', 1, 3, 0, NULL, '2025-01-03 05:00:00', '2025-01-03 05:00:00'),
    (21, 'ingrid.hansen', 'ingrid.hansen@demo.metapic.test', 2, 4, 0, 'AX-100021', '2025-01-03 06:00:00', '2025-01-03 06:00:00'),
    (22, 'lars.olsen', 'lars.olsen@demo.metapic.test', 2, 5, 0, NULL, '2025-01-03 07:00:00', '2025-01-03 07:00:00'),
    (23, 'nora.berg', 'nora.berg@demo.metapic.test', 2, NULL, 0, NULL, '2025-01-03 08:00:00', '2025-01-03 08:00:00'),
    (24, 'jonas.haugen', 'jonas.haugen@demo.metapic.test', 2, 4, 0, 'AX-100024', '2025-01-03 09:00:00', '2025-01-03 09:00:00'),
    (25, 'sofie.dahl', 'sofie.dahl@demo.metapic.test', 2, 5, 0, NULL, '2025-01-03 10:00:00', '2025-01-03 10:00:00'),
    (26, 'magnus.bakken', 'magnus.bakken@demo.metapic.test', 2, NULL, 0, NULL, '2025-01-03 11:00:00', '2025-01-03 11:00:00'),
    (27, 'ida.strand', 'ida.strand@demo.metapic.test', 2, 4, 0, 'AX-100027', '2025-01-03 12:00:00', '2025-01-03 12:00:00'),
    (28, 'henrik.lie', 'henrik.lie@demo.metapic.test', 2, 5, 0, NULL, '2025-01-03 13:00:00', '2025-01-03 13:00:00'),
    (29, 'thea.moen', 'thea.moen@demo.metapic.test', 2, NULL, 0, NULL, '2025-01-03 14:00:00', '2025-01-03 14:00:00'),
    (30, 'sander.vik', 'sander.vik@demo.metapic.test', 2, 4, 0, 'AX-100030', '2025-01-03 15:00:00', '2025-01-03 15:00:00'),
    (31, 'zofia.nowak', 'zofia.nowak@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-03 16:00:00', '2025-01-03 16:00:00'),
    (32, 'jakub.kowalski', 'jakub.kowalski@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-03 17:00:00', '2025-01-03 17:00:00'),
    (33, 'julia.wisniewska', 'julia.wisniewska@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-03 18:00:00', '2025-01-03 18:00:00'),
    (34, 'antoni.wojcik', 'antoni.wojcik@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-03 19:00:00', '2025-01-03 19:00:00'),
    (35, 'maja.kaminska', 'maja.kaminska@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-03 20:00:00', '2025-01-03 20:00:00'),
    (36, 'szymon.lewandowski', 'szymon.lewandowski@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-03 21:00:00', '2025-01-03 21:00:00'),
    (37, 'hanna.zielinska', 'hanna.zielinska@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-03 22:00:00', '2025-01-03 22:00:00'),
    (38, 'filip.szymanski', 'filip.szymanski@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-03 23:00:00', '2025-01-03 23:00:00'),
    (39, 'lena.wozniak', 'lena.wozniak@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-04 00:00:00', '2025-01-04 00:00:00'),
    (40, 'kacper.dabrowski', 'kacper.dabrowski@demo.metapic.test', 3, NULL, 0, NULL, '2025-01-04 01:00:00', '2025-01-04 01:00:00'),
    (41, 'freja.lund', 'freja.lund@demo.metapic.test', 4, NULL, 0, NULL, '2025-01-04 02:00:00', '2025-01-04 02:00:00'),
    (42, 'axel.nordin', 'axel.nordin@demo.metapic.test', 4, NULL, 0, NULL, '2025-01-04 03:00:00', '2025-01-04 03:00:00'),
    (43, 'saga.ek', 'saga.ek@demo.metapic.test', 4, NULL, 0, NULL, '2025-01-04 04:00:00', '2025-01-04 04:00:00'),
    (44, 'viktor.blom', 'viktor.blom@demo.metapic.test', 4, NULL, 0, NULL, '2025-01-04 05:00:00', '2025-01-04 05:00:00'),
    (45, 'tuva.sjoberg', 'tuva.sjoberg@demo.metapic.test', 4, NULL, 0, NULL, '2025-01-04 06:00:00', '2025-01-04 06:00:00');

-- Social media accounts. Target identifier 'creatorone' resolves to user 3; 'future.star'
-- and 'polska.gwiazda' match nobody (pre-registered participants).
INSERT INTO social_media_accounts (id, user_id, platform, identifier, url, followers, created_at, updated_at) VALUES
    (1, 3, 'instagram', 'creatorone', 'https://instagram.example/creatorone', 15400, '2025-01-05 10:00:00', '2025-01-05 10:00:00'),
    (2, 3, 'tiktok', 'creator.one', 'https://tiktok.example/@creator.one', 8200, '2025-01-05 10:10:00', '2025-01-05 10:10:00'),
    (3, 5, 'instagram', 'creatortwo', 'https://instagram.example/creatortwo', 22100, '2025-01-05 10:20:00', '2025-01-05 10:20:00'),
    (4, 5, 'youtube', 'CreatorTwoVlogs', 'https://youtube.example/@CreatorTwoVlogs', 5100, '2025-01-05 10:30:00', '2025-01-05 10:30:00'),
    (5, 6, 'instagram', 'annalindqvist', 'https://instagram.example/annalindqvist', 48700, '2025-01-05 10:40:00', '2025-01-05 10:40:00'),
    (6, 8, 'instagram', 'sarasbeauty', 'https://instagram.example/sarasbeauty', 12800, '2025-01-05 10:50:00', '2025-01-05 10:50:00'),
    (7, 10, 'blog', 'emmas-hem', 'https://emmashem.example', 3100, '2025-01-05 11:00:00', '2025-01-05 11:00:00'),
    (8, 22, 'tiktok', 'norastil', 'https://tiktok.example/@norastil', 67000, '2025-01-05 11:10:00', '2025-01-05 11:10:00'),
    (9, 31, 'instagram', 'zofia.styl', 'https://instagram.example/zofia.styl', 9400, '2025-01-05 11:20:00', '2025-01-05 11:20:00');

-- ==========================================================================
-- Stores
-- ==========================================================================

-- Store categories.
INSERT INTO store_categories (id, name, created_at, updated_at) VALUES
    (1, 'Beauty', '2025-01-03 08:00:00', '2025-01-03 08:00:00'),
    (2, 'Fashion', '2025-01-03 08:10:00', '2025-01-03 08:10:00'),
    (3, 'Home', '2025-01-03 08:20:00', '2025-01-03 08:20:00'),
    (4, 'Sports', '2025-01-03 08:30:00', '2025-01-03 08:30:00'),
    (5, 'Electronics', '2025-01-03 08:40:00', '2025-01-03 08:40:00'),
    (6, 'Kids', '2025-01-03 08:50:00', '2025-01-03 08:50:00');

-- Stores (advertisers). 1 and 2 are the fixed ones. 5 is inactive. 8 and 9 are self-service
-- (8 without payment set up, 9 with).
INSERT INTO stores (id, name, store_group_id, logo_url, country, currency, language, commission_rate, affiliate_provider, toplist_rank, is_active, is_self_service, payment_setup_at, payment_setup_by, created_by, created_at, updated_at) VALUES
    (1, 'Nordic Beauty', 1, 'https://logos.demo.metapic.test/nordic-beauty.png', 'SE', 'SEK', 'sv', 0.100000, 'adtraction', 1, 1, 0, NULL, NULL, 1, '2025-01-03 11:00:00', '2025-01-03 11:00:00'),
    (2, 'Fjord Fashion', 2, 'https://logos.demo.metapic.test/fjord-fashion.png', 'NO', 'NOK', 'nb', 0.120000, 'awin', 1, 1, 0, NULL, NULL, 1, '2025-01-03 12:00:00', '2025-01-03 12:00:00'),
    (3, 'Stockholm Home', 1, 'https://logos.demo.metapic.test/stockholm-home.png', 'SE', 'SEK', 'sv', 0.080000, 'adtraction', 3, 1, 0, NULL, NULL, 1, '2025-01-03 13:00:00', '2025-01-03 13:00:00'),
    (4, 'Sportkompaniet', 1, NULL, 'SE', 'SEK', 'sv', 0.070000, 'awin', 2, 1, 0, NULL, NULL, 1, '2025-01-03 14:00:00', '2025-01-03 14:00:00'),
    (5, 'Elektronikhuset', 1, NULL, 'SE', 'SEK', 'sv', 0.030000, 'tradedoubler', NULL, 0, 0, NULL, NULL, 1, '2025-01-03 15:00:00', '2025-01-03 15:00:00'),
    (6, 'Oslo Kids', 2, 'https://logos.demo.metapic.test/oslo-kids.png', 'NO', 'NOK', 'nb', 0.090000, 'adtraction', 2, 1, 0, NULL, NULL, 1, '2025-01-03 16:00:00', '2025-01-03 16:00:00'),
    (7, 'Moda Warszawa', 3, 'https://logos.demo.metapic.test/moda-warszawa.png', 'PL', 'PLN', 'pl', 0.110000, 'awin', 1, 1, 0, NULL, NULL, 1, '2025-01-03 17:00:00', '2025-01-03 17:00:00'),
    (8, 'Dom i Ogród', 3, NULL, 'PL', 'PLN', 'pl', NULL, NULL, NULL, 1, 1, NULL, NULL, 1, '2025-01-03 18:00:00', '2025-01-03 18:00:00'),
    (9, 'Copenhagen Design', 4, 'https://logos.demo.metapic.test/copenhagen-design.png', 'DK', 'DKK', 'da', 0.100000, 'partner-ads', 1, 1, 1, '2025-01-20 12:00:00', 1, 1, '2025-01-03 19:00:00', '2025-01-03 19:00:00');

-- Domains. https://sport.marketplace.se/... matches two stores of group 1 (4 by host, 3 by
-- parent domain): the "several advertisers" case of POST /v2/affiliate-links.
INSERT INTO store_domains (id, store_id, domain, created_at) VALUES
    (1, 1, 'nordicbeauty.se', '2025-01-03 12:01:00'),
    (2, 1, 'nordicbeauty.com', '2025-01-03 12:02:00'),
    (3, 2, 'fjordfashion.no', '2025-01-03 12:03:00'),
    (4, 3, 'stockholmhome.se', '2025-01-03 12:04:00'),
    (5, 3, 'marketplace.se', '2025-01-03 12:05:00'),
    (6, 4, 'sportkompaniet.se', '2025-01-03 12:06:00'),
    (7, 4, 'sport.marketplace.se', '2025-01-03 12:07:00'),
    (8, 5, 'elektronikhuset.se', '2025-01-03 12:08:00'),
    (9, 6, 'oslokids.no', '2025-01-03 12:09:00'),
    (10, 7, 'modawarszawa.pl', '2025-01-03 12:10:00'),
    (11, 8, 'domiogrod.pl', '2025-01-03 12:11:00'),
    (12, 9, 'cphdesign.dk', '2025-01-03 12:12:00');

-- Billing details.
INSERT INTO store_billing (store_id, company_name, street, postal_code, city, vat_number, created_at, updated_at) VALUES
    (1, 'Nordic Beauty AB', 'Drottninggatan 10', '111 51', 'Stockholm', 'SE556000000101', '2025-01-03 13:00:00', '2025-01-03 13:00:00'),
    (2, 'Fjord Fashion AS', 'Karl Johans gate 5', '0154', 'Oslo', 'NO912345678MVA', '2025-01-03 13:10:00', '2025-01-03 13:10:00'),
    (8, 'Dom i Ogród Sp. z o.o.', 'ul. Marszałkowska 1', '00-624', 'Warszawa', 'PL5260000000', '2025-01-03 13:20:00', '2025-01-03 13:20:00'),
    (9, 'Copenhagen Design ApS', 'Strøget 20', '1160', 'København K', 'DK12345678', '2025-01-03 13:30:00', '2025-01-03 13:30:00');

-- Store categories.
INSERT INTO store_store_category (store_id, store_category_id) VALUES
    (1, 1),
    (2, 2),
    (2, 6),
    (3, 3),
    (4, 4),
    (4, 2),
    (5, 5),
    (6, 6),
    (7, 2),
    (7, 1),
    (8, 3),
    (9, 3),
    (9, 2);

-- Members: user 2 of store 1, user 4 of store 2.
INSERT INTO store_users (store_id, user_id, created_at) VALUES
    (1, 2, '2025-01-04 08:00:00'),
    (2, 4, '2025-01-04 08:10:00');

-- ==========================================================================
-- User tags and the blocklist
-- ==========================================================================

-- User tags: access level 0 (admin): 1, 7; 1 (all): 2, 3, 6, 9; 2 (store): 4 (store 1), 5 and 8 (store 2).
INSERT INTO user_tags (id, name, slug, access_level, store_id, created_at, updated_at) VALUES
    (1, 'VIP creators', 'vip-creators', 0, NULL, '2025-01-05 09:00:00', '2025-01-05 09:00:00'),
    (2, 'Beauty bloggers', 'beauty-bloggers', 1, NULL, '2025-01-05 10:00:00', '2025-01-05 10:00:00'),
    (3, 'Fashion influencers', 'fashion-influencers', 1, NULL, '2025-01-05 11:00:00', '2025-01-05 11:00:00'),
    (4, 'Nordic Beauty favourites', 'nordic-beauty-favourites', 2, 1, '2025-01-05 12:00:00', '2025-01-05 12:00:00'),
    (5, 'Fjord Fashion ambassadors', 'fjord-fashion-ambassadors', 2, 2, '2025-01-05 13:00:00', '2025-01-05 13:00:00'),
    (6, 'Fitness & outdoor', 'fitness-outdoor', 1, NULL, '2025-01-05 14:00:00', '2025-01-05 14:00:00'),
    (7, 'Low quality traffic', 'low-quality-traffic', 0, NULL, '2025-01-05 15:00:00', '2025-01-05 15:00:00'),
    (8, 'Competitor ambassadors', 'competitor-ambassadors', 2, 2, '2025-01-05 16:00:00', '2025-01-05 16:00:00'),
    (9, 'Polish micro influencers', 'polish-micro-influencers', 1, NULL, '2025-01-05 17:00:00', '2025-01-05 17:00:00');

-- Tag memberships. Users 19 and 20 (tag 7) are blocked by store 1; 26 and 27 (tag 8) by store 2.
INSERT INTO user_tag_user (user_tag_id, user_id) VALUES
    (1, 3),
    (1, 6),
    (1, 7),
    (1, 21),
    (2, 3),
    (2, 8),
    (2, 9),
    (2, 10),
    (2, 31),
    (2, 32),
    (3, 5),
    (3, 11),
    (3, 12),
    (3, 22),
    (3, 23),
    (3, 33),
    (4, 3),
    (4, 8),
    (4, 13),
    (5, 5),
    (5, 22),
    (5, 24),
    (6, 14),
    (6, 15),
    (6, 25),
    (7, 19),
    (7, 20),
    (8, 26),
    (8, 27),
    (9, 34),
    (9, 35),
    (9, 36);

-- Blocklist: store 1 blocks user 5 and tag 7 (by user 2); store 2 blocks user 28 and tag 8 (by user 4).
INSERT INTO blocklist_entries (id, store_id, user_id, user_tag_id, created_by, created_at, updated_at) VALUES
    (1, 1, 5, NULL, 2, '2025-01-10 10:00:00', '2025-01-10 10:00:00'),
    (2, 1, NULL, 7, 2, '2025-01-10 11:00:00', '2025-01-10 11:00:00'),
    (3, 2, 28, NULL, 4, '2025-01-11 10:00:00', '2025-01-11 10:00:00'),
    (4, 2, NULL, 8, 4, '2025-01-11 11:00:00', '2025-01-11 11:00:00');

-- ==========================================================================
-- Campaigns
-- ==========================================================================

-- Shared budgets (amount in minor units of the store's currency).
INSERT INTO shared_budgets (id, store_id, title, amount, created_by, created_at, updated_at) VALUES
    (1, 1, 'Spring 2025 budget', 5000000, 2, '2025-01-12 09:00:00', '2025-01-12 09:00:00'),
    (2, 1, 'Always-on budget', 2000000, 2, '2025-01-12 10:00:00', '2025-01-12 10:00:00'),
    (3, 2, 'Sommerkampanje 2025', 3000000, 4, '2025-01-12 11:00:00', '2025-01-12 11:00:00'),
    (4, 7, 'Wiosna 2025', 1000000, 1, '2025-01-12 12:00:00', '2025-01-12 12:00:00');

-- Campaigns. Store 1: 1 active, 2 active (suggestion), 3 scheduled, 4 ended, 5 paused,
-- 6 deleted, 7 active without end. Store 2: 8 active, 9 ended, 10 active (suggestion).
-- Others: 11 (store 4), 12 active and 13 scheduled (store 7), 14 (store 3), 15 (store 6).
INSERT INTO offers (id, store_id, store_group_id, shared_budget_id, created_by, type, name, campaign_title, campaign_text, image_path, token, has_product_seeding, has_onetime_payment, one_time_payment, per_user_limit, budget_limit, max_clicks, valid_from, valid_until, show_for_advertiser, priority_after, paused_at, deleted_at, created_at, updated_at) VALUES
    (1, 1, 1, 1, 2, 'standard', 'NB Spring glow 2025', 'Spring glow with Nordic Beauty', 'Show your spring skincare routine with our new glow serum. Paid per click and per sale.', 'offers/1/cover.jpg', '67twgittqxf0vmxa', 1, 0, NULL, 0, NULL, 100000, '2025-01-15 00:00:00', '2030-06-30 23:59:59', 1, NULL, NULL, NULL, '2025-01-15 13:00:00', '2025-01-15 13:00:00'),
    (2, 1, 1, 1, 2, 'suggestion', 'NB Skincare suggestions', 'Suggest a skincare post', 'Pitch us a post about your favourite Nordic Beauty product.', 'offers/2/cover.jpg', '46b2tb8dp9d2k0xd', 0, 0, NULL, 0, NULL, NULL, '2025-02-01 00:00:00', '2031-12-31 23:59:59', 0, NULL, NULL, NULL, '2025-01-15 18:00:00', '2025-01-15 18:00:00'),
    (3, 1, 1, NULL, 2, 'standard', 'NB Summer teaser', 'Summer is coming', 'Our summer collection, launching soon.', 'offers/3/cover.jpg', 'y37mskisr1m0d2bu', 0, 0, NULL, 0, 1500000, 50000, '2099-06-01 00:00:00', '2099-08-31 23:59:59', 0, NULL, NULL, NULL, '2025-01-15 23:00:00', '2025-01-15 23:00:00'),
    (4, 1, 1, NULL, 2, 'standard', 'NB Winter skin rescue', 'Winter skin rescue', 'Dry winter skin? Show how you take care of it.', 'offers/4/cover.jpg', 'rcdkszfnzfvuhxd6', 0, 0, NULL, 1, 800000, 2000, '2025-01-20 00:00:00', '2025-02-28 23:59:59', 0, NULL, NULL, NULL, '2025-01-16 04:00:00', '2025-01-16 04:00:00'),
    (5, 1, 1, NULL, 1, 'standard', 'NB Winter sale', 'Winter sale at Nordic Beauty', 'Up to 40% off selected products.', 'offers/5/cover.jpg', '0pqri8xt9wtbxkgs', 0, 0, NULL, 0, NULL, NULL, '2025-01-20 00:00:00', '2032-01-31 23:59:59', 0, NULL, '2025-02-10 12:00:00', NULL, '2025-01-16 09:00:00', '2025-01-16 09:00:00'),
    (6, 1, 1, NULL, 2, 'standard', 'NB Old test campaign', 'Test', 'Created by mistake.', NULL, 's7v59qcqjhoxvwk0', 0, 0, NULL, 0, NULL, NULL, '2025-01-20 00:00:00', '2030-01-31 23:59:59', 0, NULL, NULL, '2025-02-05 09:30:00', '2025-01-16 14:00:00', '2025-01-16 14:00:00'),
    (7, 1, 1, 2, 1, 'standard', 'NB Always-on ambassadors', 'Nordic Beauty ambassadors', 'Our always-on programme for ambassadors, with a one-time payment of 500 SEK.', 'offers/7/cover.jpg', 'cd4e9eymjuoi54pn', 0, 1, 50000, 0, NULL, NULL, '2025-01-22 00:00:00', NULL, 0, NULL, NULL, NULL, '2025-01-16 19:00:00', '2025-01-16 19:00:00'),
    (8, 2, 2, 3, 4, 'standard', 'FF Sommerkolleksjon', 'Sommerkolleksjonen 2025', 'Vis frem sommerkolleksjonen fra Fjord Fashion.', 'offers/8/cover.jpg', 'mpysjruce8ymrdgv', 1, 0, NULL, 0, NULL, 60000, '2025-01-25 00:00:00', '2030-08-31 23:59:59', 1, NULL, NULL, NULL, '2025-01-17 00:00:00', '2025-01-17 00:00:00'),
    (9, 2, 2, NULL, 4, 'standard', 'FF Vinterjakker', 'Vinterjakker', 'Varme jakker for kalde dager.', 'offers/9/cover.jpg', 'tx412yltjjfagd40', 0, 0, NULL, 0, 500000, NULL, '2025-01-25 00:00:00', '2025-03-01 23:59:59', 0, NULL, NULL, NULL, '2025-01-17 05:00:00', '2025-01-17 05:00:00'),
    (10, 2, 2, NULL, 4, 'suggestion', 'FF Produkttest', 'Test våre nyheter', 'Få tilsendt produkter og fortell hva du synes.', 'offers/10/cover.jpg', '0ku65xp1bfijvjls', 1, 0, NULL, 0, NULL, NULL, '2025-02-01 00:00:00', '2033-01-01 00:00:00', 0, NULL, NULL, NULL, '2025-01-17 10:00:00', '2025-01-17 10:00:00'),
    (11, 4, 1, NULL, 1, 'standard', 'Sportkompaniet Löparvår', 'Löparvåren 2025', 'Nya löparskor och kläder för våren.', 'offers/11/cover.jpg', 'kvi2xkihl2gvrtw6', 0, 0, NULL, 1, 2000000, 5000, '2025-02-01 00:00:00', '2029-05-31 23:59:59', 0, NULL, NULL, NULL, '2025-01-17 15:00:00', '2025-01-17 15:00:00'),
    (12, 7, 3, 4, 1, 'standard', 'Moda Wiosna', 'Wiosenna kolekcja', 'Pokaż wiosenną kolekcję Moda Warszawa.', 'offers/12/cover.jpg', 'g1iqdb9eq3qltmhc', 0, 0, NULL, 0, NULL, NULL, '2025-02-03 00:00:00', '2030-04-30 23:59:59', 0, NULL, NULL, NULL, '2025-01-17 20:00:00', '2025-01-17 20:00:00'),
    (13, 7, 3, NULL, 1, 'standard', 'Moda Outlet', 'Outlet', 'Wyprzedaż w outlecie.', NULL, '651sk8tcbuxga0fn', 0, 0, NULL, 0, NULL, NULL, '2099-01-01 00:00:00', '2099-12-31 23:59:59', 0, NULL, NULL, NULL, '2025-01-18 01:00:00', '2025-01-18 01:00:00'),
    (14, 3, 1, NULL, 1, 'standard', 'Stockholm Home Nyinflyttad', 'Nyinflyttad?', 'Inred ditt nya hem med Stockholm Home.', 'offers/14/cover.jpg', 'qfwqnbt5gnp40o2v', 0, 0, NULL, 0, NULL, NULL, '2025-02-05 00:00:00', '2029-12-31 23:59:59', 0, NULL, NULL, NULL, '2025-01-18 06:00:00', '2025-01-18 06:00:00'),
    (15, 6, 2, NULL, 1, 'standard', 'Oslo Kids Skolestart', 'Klar for skolestart', 'Alt til skolestart fra Oslo Kids.', 'offers/15/cover.jpg', 'a6kz0ls48cts711m', 0, 0, NULL, 0, NULL, NULL, '2025-02-06 00:00:00', '2030-08-15 23:59:59', 0, NULL, NULL, NULL, '2025-01-18 11:00:00', '2025-01-18 11:00:00');

-- Todo lists (todo_key is what PATCH .../todo sends).
INSERT INTO offer_todo_items (id, offer_id, position, todo_key, text, created_at, updated_at) VALUES
    (1, 1, 0, 'post-one-instagram-story', 'Post one Instagram story', '2025-01-15 13:01:00', '2025-01-15 13:01:00'),
    (2, 1, 1, 'publish-a-blog-post', 'Publish a blog post', '2025-01-15 13:02:00', '2025-01-15 13:02:00'),
    (3, 1, 2, 'tag-nordicbeauty', 'Tag @nordicbeauty', '2025-01-15 13:03:00', '2025-01-15 13:03:00'),
    (4, 2, 0, 'send-us-your-idea', 'Send us your idea', '2025-01-15 18:01:00', '2025-01-15 18:01:00'),
    (5, 2, 1, 'publish-the-agreed-post', 'Publish the agreed post', '2025-01-15 18:02:00', '2025-01-15 18:02:00'),
    (6, 3, 0, 'post-a-teaser', 'Post a teaser', '2025-01-15 23:01:00', '2025-01-15 23:01:00'),
    (7, 4, 0, 'post-a-winter-routine', 'Post a winter routine', '2025-01-16 04:01:00', '2025-01-16 04:01:00'),
    (8, 5, 0, 'share-the-sale', 'Share the sale', '2025-01-16 09:01:00', '2025-01-16 09:01:00'),
    (9, 6, 0, 'nothing', 'Nothing', '2025-01-16 14:01:00', '2025-01-16 14:01:00'),
    (10, 7, 0, 'add-the-ambassador-badge', 'Add the ambassador badge', '2025-01-16 19:01:00', '2025-01-16 19:01:00'),
    (11, 7, 1, 'post-once-a-month', 'Post once a month', '2025-01-16 19:02:00', '2025-01-16 19:02:00'),
    (12, 8, 0, 'motta-produktene', 'Motta produktene', '2025-01-17 00:01:00', '2025-01-17 00:01:00'),
    (13, 8, 1, 'publiser-et-innlegg', 'Publiser et innlegg', '2025-01-17 00:02:00', '2025-01-17 00:02:00'),
    (14, 9, 0, 'publiser-et-innlegg', 'Publiser et innlegg', '2025-01-17 05:01:00', '2025-01-17 05:01:00'),
    (15, 10, 0, 'motta-produktene', 'Motta produktene', '2025-01-17 10:01:00', '2025-01-17 10:01:00'),
    (16, 10, 1, 'test-i-en-uke', 'Test i en uke', '2025-01-17 10:02:00', '2025-01-17 10:02:00'),
    (17, 10, 2, 'skriv-en-anmeldelse', 'Skriv en anmeldelse', '2025-01-17 10:03:00', '2025-01-17 10:03:00'),
    (18, 11, 0, 'spring-en-runda', 'Spring en runda', '2025-01-17 15:01:00', '2025-01-17 15:01:00'),
    (19, 11, 1, 'posta-en-bild', 'Posta en bild', '2025-01-17 15:02:00', '2025-01-17 15:02:00'),
    (20, 12, 0, 'opublikuj-post', 'Opublikuj post', '2025-01-17 20:01:00', '2025-01-17 20:01:00'),
    (21, 13, 0, 'opublikuj-post', 'Opublikuj post', '2025-01-18 01:01:00', '2025-01-18 01:01:00'),
    (22, 14, 0, 'visa-ditt-hem', 'Visa ditt hem', '2025-01-18 06:01:00', '2025-01-18 06:01:00'),
    (23, 15, 0, 'del-en-skolestart-tips', 'Del en skolestart-tips', '2025-01-18 11:01:00', '2025-01-18 11:01:00');

-- Costs per traffic source (cpc minor units; cpa fractions). Source 0 General, 1 Instagram,
-- 2 TikTok, 3 YouTube, 4 Blog.
INSERT INTO offer_traffic_source_costs (id, offer_id, source, cpc, invoice_cpc, cpa, invoice_cpa, user_revenue, created_at, updated_at) VALUES
    (1, 1, 0, 150, 200, 0.080000, 0.100000, 1.000000, '2025-01-15 13:30:00', '2025-01-15 13:30:00'),
    (2, 1, 1, 200, 250, 0.100000, 0.120000, 1.000000, '2025-01-15 13:31:00', '2025-01-15 13:31:00'),
    (3, 1, 2, 180, 230, 0.080000, 0.100000, 0.900000, '2025-01-15 13:32:00', '2025-01-15 13:32:00'),
    (4, 2, 0, 120, 150, 0.060000, 0.080000, 1.000000, '2025-01-15 18:30:00', '2025-01-15 18:30:00'),
    (5, 3, 0, 100, 130, 0.050000, 0.070000, 1.000000, '2025-01-15 23:30:00', '2025-01-15 23:30:00'),
    (6, 4, 0, 140, 180, 0.070000, 0.090000, 1.000000, '2025-01-16 04:30:00', '2025-01-16 04:30:00'),
    (7, 5, 0, 90, 120, 0.050000, 0.060000, 1.000000, '2025-01-16 09:30:00', '2025-01-16 09:30:00'),
    (8, 6, 0, 1, 1, 0.040000, 0.040000, 1.000000, '2025-01-16 14:30:00', '2025-01-16 14:30:00'),
    (9, 7, 0, 100, 140, 0.060000, 0.080000, 1.000000, '2025-01-16 19:30:00', '2025-01-16 19:30:00'),
    (10, 7, 4, 80, 110, 0.050000, 0.070000, 1.000000, '2025-01-16 19:34:00', '2025-01-16 19:34:00'),
    (11, 8, 0, 300, 380, 0.100000, 0.130000, 1.000000, '2025-01-17 00:30:00', '2025-01-17 00:30:00'),
    (12, 8, 3, 350, 420, 0.110000, 0.140000, 1.000000, '2025-01-17 00:33:00', '2025-01-17 00:33:00'),
    (13, 9, 0, 250, 300, 0.080000, 0.100000, 1.000000, '2025-01-17 05:30:00', '2025-01-17 05:30:00'),
    (14, 10, 0, 200, 260, 0.090000, 0.110000, 1.000000, '2025-01-17 10:30:00', '2025-01-17 10:30:00'),
    (15, 11, 0, 110, 150, 0.050000, 0.070000, 1.000000, '2025-01-17 15:30:00', '2025-01-17 15:30:00'),
    (16, 11, 1, 130, 170, 0.060000, 0.080000, 1.000000, '2025-01-17 15:31:00', '2025-01-17 15:31:00'),
    (17, 12, 0, 50, 70, 0.070000, 0.090000, 1.000000, '2025-01-17 20:30:00', '2025-01-17 20:30:00'),
    (18, 13, 0, 40, 60, 0.060000, 0.080000, 1.000000, '2025-01-18 01:30:00', '2025-01-18 01:30:00'),
    (19, 14, 0, 120, 160, 0.060000, 0.080000, 1.000000, '2025-01-18 06:30:00', '2025-01-18 06:30:00'),
    (20, 15, 0, 280, 350, 0.080000, 0.100000, 1.000000, '2025-01-18 11:30:00', '2025-01-18 11:30:00');

-- Targets. Offer 1 has one of every kind (and an identifier, 'future.star', of nobody).
INSERT INTO offer_targets (id, offer_id, kind, user_id, user_tag_id, store_group_id, client_id, revenue_tier_id, email, social_media_identifier, created_at) VALUES
    (1, 1, 'user', 3, NULL, NULL, NULL, NULL, NULL, NULL, '2025-01-15 13:41:00'),
    (2, 1, 'user_tag', NULL, 2, NULL, NULL, NULL, NULL, NULL, '2025-01-15 13:42:00'),
    (3, 1, 'store_group', NULL, NULL, 1, NULL, NULL, NULL, NULL, '2025-01-15 13:43:00'),
    (4, 1, 'email', NULL, NULL, NULL, NULL, NULL, 'new.creator@example.com', NULL, '2025-01-15 13:44:00'),
    (5, 1, 'social_media_identifier', NULL, NULL, NULL, NULL, NULL, NULL, 'creatorone', '2025-01-15 13:45:00'),
    (6, 1, 'social_media_identifier', NULL, NULL, NULL, NULL, NULL, NULL, 'future.star', '2025-01-15 13:46:00'),
    (7, 1, 'client', NULL, NULL, NULL, 1, NULL, NULL, NULL, '2025-01-15 13:47:00'),
    (8, 1, 'revenue_tier', NULL, NULL, NULL, NULL, 3, NULL, NULL, '2025-01-15 13:48:00'),
    (9, 2, 'user_tag', NULL, 4, NULL, NULL, NULL, NULL, NULL, '2025-01-15 18:49:00'),
    (10, 2, 'user', 8, NULL, NULL, NULL, NULL, NULL, NULL, '2025-01-15 18:50:00'),
    (11, 3, 'user_tag', NULL, 2, NULL, NULL, NULL, NULL, NULL, '2025-01-15 23:51:00'),
    (12, 4, 'store_group', NULL, NULL, 1, NULL, NULL, NULL, NULL, '2025-01-16 04:52:00'),
    (13, 5, 'client', NULL, NULL, NULL, 1, NULL, NULL, NULL, '2025-01-16 09:53:00'),
    (14, 7, 'client', NULL, NULL, NULL, 1, NULL, NULL, NULL, '2025-01-16 19:54:00'),
    (15, 7, 'client', NULL, NULL, NULL, 4, NULL, NULL, NULL, '2025-01-16 19:55:00'),
    (16, 8, 'store_group', NULL, NULL, 2, NULL, NULL, NULL, NULL, '2025-01-17 00:56:00'),
    (17, 8, 'user', 5, NULL, NULL, NULL, NULL, NULL, NULL, '2025-01-17 00:57:00'),
    (18, 8, 'user_tag', NULL, 5, NULL, NULL, NULL, NULL, NULL, '2025-01-17 00:58:00'),
    (19, 8, 'revenue_tier', NULL, NULL, NULL, NULL, 5, NULL, NULL, '2025-01-17 00:59:00'),
    (20, 8, 'email', NULL, NULL, NULL, NULL, NULL, 'ny.skaper@example.no', NULL, '2025-01-17 01:00:00'),
    (21, 9, 'store_group', NULL, NULL, 2, NULL, NULL, NULL, NULL, '2025-01-17 06:01:00'),
    (22, 10, 'user_tag', NULL, 3, NULL, NULL, NULL, NULL, NULL, '2025-01-17 11:02:00'),
    (23, 11, 'store_group', NULL, NULL, 1, NULL, NULL, NULL, NULL, '2025-01-17 16:03:00'),
    (24, 12, 'store_group', NULL, NULL, 3, NULL, NULL, NULL, NULL, '2025-01-17 21:04:00'),
    (25, 12, 'user_tag', NULL, 9, NULL, NULL, NULL, NULL, NULL, '2025-01-17 21:05:00'),
    (26, 12, 'social_media_identifier', NULL, NULL, NULL, NULL, NULL, NULL, 'polska.gwiazda', '2025-01-17 21:06:00'),
    (27, 14, 'store_group', NULL, NULL, 1, NULL, NULL, NULL, NULL, '2025-01-18 07:07:00'),
    (28, 15, 'store_group', NULL, NULL, 2, NULL, NULL, NULL, NULL, '2025-01-18 12:08:00');

-- Participants. Offer 1 has 13 (two pages of 10) in every status, with a pre-registered
-- email (11) and identifier (12). click_count is set from clicks below.
INSERT INTO offer_users (id, offer_id, user_id, pre_registered_email, pre_registered_identifier, status, click_count, click_limit, payment_amount, joined_at, created_at, updated_at) VALUES
    (1, 1, 3, NULL, NULL, 'accepted', 0, NULL, NULL, '2025-02-01 13:00:00', '2025-02-01 12:00:00', '2025-02-01 12:00:00'),
    (2, 1, 6, NULL, NULL, 'open', 0, NULL, NULL, NULL, '2025-02-01 15:00:00', '2025-02-01 15:00:00'),
    (3, 1, 7, NULL, NULL, 'suggestion', 0, NULL, NULL, NULL, '2025-02-01 18:00:00', '2025-02-01 18:00:00'),
    (4, 1, 8, NULL, NULL, 'product_sent', 0, NULL, NULL, '2025-02-01 22:00:00', '2025-02-01 21:00:00', '2025-02-01 21:00:00'),
    (5, 1, 9, NULL, NULL, 'have_received', 0, NULL, NULL, '2025-02-02 01:00:00', '2025-02-02 00:00:00', '2025-02-02 00:00:00'),
    (6, 1, 10, NULL, NULL, 'done', 0, NULL, NULL, '2025-02-02 04:00:00', '2025-02-02 03:00:00', '2025-02-02 03:00:00'),
    (7, 1, 11, NULL, NULL, 'store_denied', 0, NULL, NULL, NULL, '2025-02-02 06:00:00', '2025-02-02 06:00:00'),
    (8, 1, 12, NULL, NULL, 'accepted', 0, NULL, NULL, '2025-02-02 10:00:00', '2025-02-02 09:00:00', '2025-02-02 09:00:00'),
    (9, 1, 13, NULL, NULL, 'accepted', 0, 500, NULL, '2025-02-02 13:00:00', '2025-02-02 12:00:00', '2025-02-02 12:00:00'),
    (10, 1, 14, NULL, NULL, 'open', 0, NULL, NULL, NULL, '2025-02-02 15:00:00', '2025-02-02 15:00:00'),
    (11, 1, NULL, 'new.creator@example.com', NULL, 'open', 0, NULL, NULL, NULL, '2025-02-02 18:00:00', '2025-02-02 18:00:00'),
    (12, 1, NULL, NULL, 'future.star', 'suggestion', 0, NULL, NULL, NULL, '2025-02-02 21:00:00', '2025-02-02 21:00:00'),
    (13, 1, 41, NULL, NULL, 'done', 0, NULL, NULL, '2025-02-03 01:00:00', '2025-02-03 00:00:00', '2025-02-03 00:00:00'),
    (14, 2, 3, NULL, NULL, 'suggestion', 0, NULL, NULL, NULL, '2025-02-03 03:00:00', '2025-02-03 03:00:00'),
    (15, 2, 8, NULL, NULL, 'suggestion', 0, NULL, NULL, NULL, '2025-02-03 06:00:00', '2025-02-03 06:00:00'),
    (16, 2, 9, NULL, NULL, 'open', 0, NULL, NULL, NULL, '2025-02-03 09:00:00', '2025-02-03 09:00:00'),
    (17, 4, 3, NULL, NULL, 'done', 0, NULL, NULL, '2025-02-03 13:00:00', '2025-02-03 12:00:00', '2025-02-03 12:00:00'),
    (18, 4, 10, NULL, NULL, 'done', 0, NULL, NULL, '2025-02-03 16:00:00', '2025-02-03 15:00:00', '2025-02-03 15:00:00'),
    (19, 5, 6, NULL, NULL, 'accepted', 0, NULL, NULL, '2025-02-03 19:00:00', '2025-02-03 18:00:00', '2025-02-03 18:00:00'),
    (20, 7, 3, NULL, NULL, 'accepted', 0, NULL, 50000, '2025-02-03 22:00:00', '2025-02-03 21:00:00', '2025-02-03 21:00:00'),
    (21, 7, 42, NULL, NULL, 'open', 0, NULL, NULL, NULL, '2025-02-04 00:00:00', '2025-02-04 00:00:00'),
    (22, 8, 5, NULL, NULL, 'accepted', 0, 1000, NULL, '2025-02-04 04:00:00', '2025-02-04 03:00:00', '2025-02-04 03:00:00'),
    (23, 8, 21, NULL, NULL, 'open', 0, NULL, NULL, NULL, '2025-02-04 06:00:00', '2025-02-04 06:00:00'),
    (24, 8, 22, NULL, NULL, 'product_sent', 0, NULL, NULL, '2025-02-04 10:00:00', '2025-02-04 09:00:00', '2025-02-04 09:00:00'),
    (25, 8, 24, NULL, NULL, 'have_received', 0, NULL, NULL, '2025-02-04 13:00:00', '2025-02-04 12:00:00', '2025-02-04 12:00:00'),
    (26, 8, NULL, 'ny.skaper@example.no', NULL, 'open', 0, NULL, NULL, NULL, '2025-02-04 15:00:00', '2025-02-04 15:00:00'),
    (27, 8, 23, NULL, NULL, 'store_denied', 0, NULL, NULL, NULL, '2025-02-04 18:00:00', '2025-02-04 18:00:00'),
    (28, 10, 22, NULL, NULL, 'suggestion', 0, NULL, NULL, NULL, '2025-02-04 21:00:00', '2025-02-04 21:00:00'),
    (29, 10, 25, NULL, NULL, 'accepted', 0, NULL, NULL, '2025-02-05 01:00:00', '2025-02-05 00:00:00', '2025-02-05 00:00:00'),
    (30, 11, 15, NULL, NULL, 'accepted', 0, NULL, NULL, '2025-02-05 04:00:00', '2025-02-05 03:00:00', '2025-02-05 03:00:00'),
    (31, 11, 16, NULL, NULL, 'open', 0, NULL, NULL, NULL, '2025-02-05 06:00:00', '2025-02-05 06:00:00'),
    (32, 12, 31, NULL, NULL, 'accepted', 0, NULL, NULL, '2025-02-05 10:00:00', '2025-02-05 09:00:00', '2025-02-05 09:00:00'),
    (33, 12, 33, NULL, NULL, 'done', 0, NULL, NULL, '2025-02-05 13:00:00', '2025-02-05 12:00:00', '2025-02-05 12:00:00'),
    (34, 12, NULL, NULL, 'polska.gwiazda', 'open', 0, NULL, NULL, NULL, '2025-02-05 15:00:00', '2025-02-05 15:00:00'),
    (35, 14, 17, NULL, NULL, 'accepted', 0, NULL, NULL, '2025-02-05 19:00:00', '2025-02-05 18:00:00', '2025-02-05 18:00:00'),
    (36, 15, 26, NULL, NULL, 'accepted', 0, NULL, NULL, '2025-02-05 22:00:00', '2025-02-05 21:00:00', '2025-02-05 21:00:00');

-- Participants' todo state (done items).
INSERT INTO offer_user_todos (offer_user_id, offer_todo_item_id, is_done, updated_by, updated_at) VALUES
    (1, 1, 1, 2, '2025-02-01 14:00:00'),
    (1, 3, 1, 2, '2025-02-01 14:01:00'),
    (4, 1, 1, 2, '2025-02-01 23:02:00'),
    (5, 1, 1, 2, '2025-02-02 02:03:00'),
    (5, 2, 1, 2, '2025-02-02 02:04:00'),
    (6, 1, 1, 2, '2025-02-02 05:05:00'),
    (6, 2, 1, 2, '2025-02-02 05:06:00'),
    (6, 3, 1, 2, '2025-02-02 05:07:00'),
    (13, 1, 1, 2, '2025-02-03 02:08:00'),
    (13, 2, 1, 2, '2025-02-03 02:09:00'),
    (13, 3, 1, 2, '2025-02-03 02:10:00'),
    (17, 7, 1, 2, '2025-02-03 14:11:00'),
    (18, 7, 1, 2, '2025-02-03 17:12:00'),
    (20, 10, 1, 1, '2025-02-03 23:13:00'),
    (24, 12, 1, 4, '2025-02-04 11:14:00'),
    (25, 12, 1, 4, '2025-02-04 14:15:00'),
    (25, 13, 1, 4, '2025-02-04 14:16:00'),
    (29, 15, 1, 4, '2025-02-05 02:17:00'),
    (33, 20, 1, 1, '2025-02-05 14:18:00');

-- Cost overrides: participant 1 (creator.one in offer 1) on Instagram; participant 22.
INSERT INTO offer_user_cost_overrides (id, offer_user_id, source, cpc, cpa, currency, created_at, updated_at) VALUES
    (1, 1, 1, 250, 0.120000, 'SEK', '2025-02-03 10:00:00', '2025-02-03 10:00:00'),
    (2, 22, 0, 350, NULL, 'NOK', '2025-02-05 10:00:00', '2025-02-05 10:00:00');

-- Comments (3 is soft-deleted).
INSERT INTO offer_user_comments (id, offer_user_id, author_id, comment, created_at, updated_at, deleted_at) VALUES
    (1, 1, 2, 'Welcome to the spring campaign! Let us know when your story is up.', '2025-02-02 10:00:00', '2025-02-02 10:00:00', NULL),
    (2, 1, 3, 'Thanks! Posting it on Friday.', '2025-02-02 11:00:00', '2025-02-02 11:00:00', NULL),
    (3, 1, 2, 'Wrong card, please ignore.', '2025-02-02 12:00:00', '2025-02-02 12:00:00', '2025-02-02 12:05:00'),
    (4, 4, 2, 'Package shipped with PostNord, tracking 1234567890.', '2025-02-03 09:00:00', '2025-02-03 09:00:00', NULL),
    (5, 22, 4, 'Velkommen! Produktene er på vei.', '2025-02-05 09:00:00', '2025-02-05 09:00:00', NULL),
    (6, 22, 5, 'Tusen takk!', '2025-02-05 15:00:00', '2025-02-05 16:00:00', NULL);

-- Activity log of the cards.
INSERT INTO offer_user_activities (id, offer_user_id, actor_id, type, data, created_at) VALUES
    (1, 1, 2, 'added', '{"status":"open"}', '2025-02-01 12:00:00'),
    (2, 1, 3, 'joined', NULL, '2025-02-01 13:00:00'),
    (3, 1, 2, 'status_changed', '{"from":"open","to":"accepted"}', '2025-02-01 14:00:00'),
    (4, 1, 2, 'comment_added', '{"comment_id":1}', '2025-02-02 10:00:00'),
    (5, 1, 3, 'comment_added', '{"comment_id":2}', '2025-02-02 11:00:00'),
    (6, 1, 2, 'comment_added', '{"comment_id":3}', '2025-02-02 12:00:00'),
    (7, 1, 2, 'comment_deleted', '{"comment_id":3}', '2025-02-02 12:05:00'),
    (8, 1, 2, 'costs_overridden', '{"traffic_sources_costs":[{"source":1,"cpc":{"amount":"2.50","currency":"SEK"},"cpa":0.12}]}', '2025-02-03 10:00:00'),
    (9, 1, 3, 'todo_changed', '{"key":"post-one-instagram-story","value":true}', '2025-02-03 11:00:00'),
    (10, 1, 3, 'todo_changed', '{"key":"tag-nordicbeauty","value":true}', '2025-02-03 11:30:00'),
    (11, 4, 2, 'added', '{"status":"open"}', '2025-02-02 12:00:00'),
    (12, 4, 8, 'joined', NULL, '2025-02-02 13:00:00'),
    (13, 4, 2, 'status_changed', '{"from":"open","to":"accepted"}', '2025-02-02 14:00:00'),
    (14, 4, 2, 'status_changed', '{"from":"accepted","to":"product_sent"}', '2025-02-03 09:00:00'),
    (15, 4, 2, 'comment_added', '{"comment_id":4}', '2025-02-03 09:00:01'),
    (16, 9, 2, 'click_limit_overridden', '{"from":null,"to":500}', '2025-02-04 10:00:00'),
    (17, 11, 2, 'added', '{"pre_registered_email":"new.creator@example.com"}', '2025-02-02 18:00:00'),
    (18, 22, 4, 'added', '{"status":"open"}', '2025-02-03 03:00:00'),
    (19, 22, 5, 'joined', NULL, '2025-02-03 04:00:00'),
    (20, 22, 4, 'status_changed', '{"from":"open","to":"accepted"}', '2025-02-03 05:00:00'),
    (21, 22, 4, 'click_limit_overridden', '{"from":null,"to":1000}', '2025-02-04 11:00:00'),
    (22, 22, 4, 'costs_overridden', '{"traffic_sources_costs":[{"source":0,"cpc":{"amount":"3.50","currency":"NOK"}}]}', '2025-02-05 10:00:00'),
    (23, 22, 4, 'comment_added', '{"comment_id":5}', '2025-02-05 09:00:00'),
    (24, 22, 5, 'comment_added', '{"comment_id":6}', '2025-02-05 15:00:00'),
    (25, 22, 5, 'comment_updated', '{"comment_id":6}', '2025-02-05 16:00:00'),
    (26, 27, 4, 'status_changed', '{"from":"open","to":"store_denied"}', '2025-02-06 10:00:00');

-- ==========================================================================
-- Affiliate links and return ads
-- ==========================================================================

-- Affiliate links. Creators' links are dated relative to today (links_created in the
-- last 60 days); 20-23 are the admin's links behind return ads; 25 is offer 4's (ended).
INSERT INTO affiliate_links (id, user_id, store_id, offer_id, url, original_url, country, provider, created_at, updated_at) VALUES
    (1, 3, 1, 1, 'https://go.adtraction.demo.metapic.test/click?site=1003&url=https%3A%2F%2Fnordicbeauty.se%2Fglow-serum', 'https://nordicbeauty.se/glow-serum', 'SE', 'adtraction', UTC_DATE() - INTERVAL 58 DAY + INTERVAL '08:01:00' HOUR_SECOND, UTC_DATE() - INTERVAL 58 DAY + INTERVAL '08:01:00' HOUR_SECOND),
    (2, 6, 1, 1, 'https://go.adtraction.demo.metapic.test/click?site=1006&url=https%3A%2F%2Fnordicbeauty.se%2Fglow-serum', 'https://nordicbeauty.se/glow-serum', 'SE', 'adtraction', UTC_DATE() - INTERVAL 57 DAY + INTERVAL '08:02:00' HOUR_SECOND, UTC_DATE() - INTERVAL 57 DAY + INTERVAL '08:02:00' HOUR_SECOND),
    (3, 8, 1, 1, 'https://go.adtraction.demo.metapic.test/click?site=1008&url=https%3A%2F%2Fnordicbeauty.se%2Fday-cream', 'https://nordicbeauty.se/day-cream', 'SE', 'adtraction', UTC_DATE() - INTERVAL 55 DAY + INTERVAL '08:03:00' HOUR_SECOND, UTC_DATE() - INTERVAL 55 DAY + INTERVAL '08:03:00' HOUR_SECOND),
    (4, 9, 1, 1, 'https://go.adtraction.demo.metapic.test/click?site=1009&url=https%3A%2F%2Fnordicbeauty.se%2Fnight-cream', 'https://nordicbeauty.se/night-cream', 'SE', 'adtraction', UTC_DATE() - INTERVAL 50 DAY + INTERVAL '08:04:00' HOUR_SECOND, UTC_DATE() - INTERVAL 50 DAY + INTERVAL '08:04:00' HOUR_SECOND),
    (5, 10, 1, 1, 'https://go.adtraction.demo.metapic.test/click?site=1010&url=https%3A%2F%2Fnordicbeauty.se%2Fglow-serum', 'https://nordicbeauty.se/glow-serum', 'SE', 'adtraction', UTC_DATE() - INTERVAL 45 DAY + INTERVAL '08:05:00' HOUR_SECOND, UTC_DATE() - INTERVAL 45 DAY + INTERVAL '08:05:00' HOUR_SECOND),
    (6, 12, 1, 1, 'https://go.adtraction.demo.metapic.test/click?site=1012&url=https%3A%2F%2Fnordicbeauty.se%2Flip-balm', 'https://nordicbeauty.se/lip-balm', 'SE', 'adtraction', UTC_DATE() - INTERVAL 40 DAY + INTERVAL '08:06:00' HOUR_SECOND, UTC_DATE() - INTERVAL 40 DAY + INTERVAL '08:06:00' HOUR_SECOND),
    (7, 13, 1, 1, 'https://go.adtraction.demo.metapic.test/click?site=1013&url=https%3A%2F%2Fnordicbeauty.se%2Fspring-set', 'https://nordicbeauty.se/spring-set', 'SE', 'adtraction', UTC_DATE() - INTERVAL 35 DAY + INTERVAL '08:07:00' HOUR_SECOND, UTC_DATE() - INTERVAL 35 DAY + INTERVAL '08:07:00' HOUR_SECOND),
    (8, 41, 1, 1, 'https://go.adtraction.demo.metapic.test/click?site=1041&url=https%3A%2F%2Fnordicbeauty.se%2Fglow-serum', 'https://nordicbeauty.se/glow-serum', 'SE', 'adtraction', UTC_DATE() - INTERVAL 30 DAY + INTERVAL '08:08:00' HOUR_SECOND, UTC_DATE() - INTERVAL 30 DAY + INTERVAL '08:08:00' HOUR_SECOND),
    (9, 3, 1, 2, 'https://go.adtraction.demo.metapic.test/click?site=1003&url=https%3A%2F%2Fnordicbeauty.se%2Fcleanser', 'https://nordicbeauty.se/cleanser', 'SE', 'adtraction', UTC_DATE() - INTERVAL 25 DAY + INTERVAL '08:09:00' HOUR_SECOND, UTC_DATE() - INTERVAL 25 DAY + INTERVAL '08:09:00' HOUR_SECOND),
    (10, 3, 1, 7, 'https://go.adtraction.demo.metapic.test/click?site=1003&url=https%3A%2F%2Fnordicbeauty.se%2F', 'https://nordicbeauty.se/', 'SE', 'adtraction', UTC_DATE() - INTERVAL 59 DAY + INTERVAL '08:10:00' HOUR_SECOND, UTC_DATE() - INTERVAL 59 DAY + INTERVAL '08:10:00' HOUR_SECOND),
    (11, 5, 2, 8, 'https://go.awin.demo.metapic.test/click?site=1005&url=https%3A%2F%2Ffjordfashion.no%2Fsommer%2Fkjoler', 'https://fjordfashion.no/sommer/kjoler', 'NO', 'awin', UTC_DATE() - INTERVAL 56 DAY + INTERVAL '08:11:00' HOUR_SECOND, UTC_DATE() - INTERVAL 56 DAY + INTERVAL '08:11:00' HOUR_SECOND),
    (12, 21, 2, 8, 'https://go.awin.demo.metapic.test/click?site=1021&url=https%3A%2F%2Ffjordfashion.no%2Fsommer%2Fsandaler', 'https://fjordfashion.no/sommer/sandaler', 'NO', 'awin', UTC_DATE() - INTERVAL 52 DAY + INTERVAL '08:12:00' HOUR_SECOND, UTC_DATE() - INTERVAL 52 DAY + INTERVAL '08:12:00' HOUR_SECOND),
    (13, 22, 2, 8, 'https://go.awin.demo.metapic.test/click?site=1022&url=https%3A%2F%2Ffjordfashion.no%2Fsommer', 'https://fjordfashion.no/sommer', 'NO', 'awin', UTC_DATE() - INTERVAL 48 DAY + INTERVAL '08:13:00' HOUR_SECOND, UTC_DATE() - INTERVAL 48 DAY + INTERVAL '08:13:00' HOUR_SECOND),
    (14, 24, 2, 8, 'https://go.awin.demo.metapic.test/click?site=1024&url=https%3A%2F%2Ffjordfashion.no%2Fsommer%2Fvesker', 'https://fjordfashion.no/sommer/vesker', 'NO', 'awin', UTC_DATE() - INTERVAL 20 DAY + INTERVAL '08:14:00' HOUR_SECOND, UTC_DATE() - INTERVAL 20 DAY + INTERVAL '08:14:00' HOUR_SECOND),
    (15, 15, 4, 11, 'https://go.awin.demo.metapic.test/click?site=1015&url=https%3A%2F%2Fsportkompaniet.se%2Flopning%2Fskor', 'https://sportkompaniet.se/lopning/skor', 'SE', 'awin', UTC_DATE() - INTERVAL 54 DAY + INTERVAL '08:15:00' HOUR_SECOND, UTC_DATE() - INTERVAL 54 DAY + INTERVAL '08:15:00' HOUR_SECOND),
    (16, 31, 7, 12, 'https://go.awin.demo.metapic.test/click?site=1031&url=https%3A%2F%2Fmodawarszawa.pl%2Fwiosna%2Fsukienki', 'https://modawarszawa.pl/wiosna/sukienki', 'PL', 'awin', UTC_DATE() - INTERVAL 53 DAY + INTERVAL '08:16:00' HOUR_SECOND, UTC_DATE() - INTERVAL 53 DAY + INTERVAL '08:16:00' HOUR_SECOND),
    (17, 33, 7, 12, 'https://go.awin.demo.metapic.test/click?site=1033&url=https%3A%2F%2Fmodawarszawa.pl%2Fwiosna', 'https://modawarszawa.pl/wiosna', 'PL', 'awin', UTC_DATE() - INTERVAL 10 DAY + INTERVAL '08:17:00' HOUR_SECOND, UTC_DATE() - INTERVAL 10 DAY + INTERVAL '08:17:00' HOUR_SECOND),
    (18, 17, 3, 14, 'https://go.adtraction.demo.metapic.test/click?site=1017&url=https%3A%2F%2Fstockholmhome.se%2Fsovrum', 'https://stockholmhome.se/sovrum', 'SE', 'adtraction', UTC_DATE() - INTERVAL 44 DAY + INTERVAL '08:18:00' HOUR_SECOND, UTC_DATE() - INTERVAL 44 DAY + INTERVAL '08:18:00' HOUR_SECOND),
    (19, 3, 3, NULL, 'https://go.adtraction.demo.metapic.test/click?site=1003&url=https%3A%2F%2Fstockholmhome.se%2Fkok', 'https://stockholmhome.se/kok', 'SE', 'adtraction', UTC_DATE() - INTERVAL 5 DAY + INTERVAL '08:19:00' HOUR_SECOND, UTC_DATE() - INTERVAL 5 DAY + INTERVAL '08:19:00' HOUR_SECOND),
    (20, 1, 1, NULL, 'https://go.adtraction.demo.metapic.test/click?site=1001&url=https%3A%2F%2Fnordicbeauty.se%2F', 'https://nordicbeauty.se/', 'SE', 'adtraction', '2025-01-20 09:00:00', '2025-01-20 09:00:00'),
    (21, 1, 4, NULL, 'https://go.awin.demo.metapic.test/click?site=1001&url=https%3A%2F%2Fsportkompaniet.se%2F', 'https://sportkompaniet.se/', 'SE', 'awin', '2025-01-20 09:10:00', '2025-01-20 09:10:00'),
    (22, 1, 7, NULL, 'https://go.awin.demo.metapic.test/click?site=1001&url=https%3A%2F%2Fmodawarszawa.pl%2F', 'https://modawarszawa.pl/', 'PL', 'awin', '2025-01-20 09:20:00', '2025-01-20 09:20:00'),
    (23, 1, 3, NULL, 'https://go.adtraction.demo.metapic.test/click?site=1001&url=https%3A%2F%2Fstockholmhome.se%2F', 'https://stockholmhome.se/', 'SE', 'adtraction', '2025-01-20 09:30:00', '2025-01-20 09:30:00'),
    (24, 6, 4, NULL, 'https://go.awin.demo.metapic.test/click?site=1006&url=https%3A%2F%2Fsportkompaniet.se%2Fvandring', 'https://sportkompaniet.se/vandring', 'SE', 'awin', UTC_DATE() - INTERVAL 3 DAY + INTERVAL '08:24:00' HOUR_SECOND, UTC_DATE() - INTERVAL 3 DAY + INTERVAL '08:24:00' HOUR_SECOND),
    (25, 3, 1, 4, 'https://go.adtraction.demo.metapic.test/click?site=1003&url=https%3A%2F%2Fnordicbeauty.se%2Fwinter-rescue', 'https://nordicbeauty.se/winter-rescue', 'SE', 'adtraction', '2025-01-21 10:00:00', '2025-01-21 10:00:00');

-- Return ads (author: admin). 1-3 active, 4 paused, 5 ended, 6 scheduled, 7 deleted.
-- Shown on store 1: 1 (all advertisers of group 1) and 2 (listed); on store 7: 3 (Fashion).
-- current_clicks / current_views are set from clicks below.
INSERT INTO return_ads (id, name, store_group_id, store_id, affiliate_link_id, author_id, display_for_all_advertisers, styles, image_path, click_limit, view_limit, current_clicks, current_views, starts_at, ends_at, paused_at, deleted_at, created_at, updated_at) VALUES
    (1, 'Nordic Beauty spring banner', 1, 1, 20, 1, 1, '{"color":"#ffffff","background":"#c2185b"}', 'return-ads/1/banner.jpg', 100000, 2000000, 0, 0, '2025-01-20 00:00:00', '2030-12-31 23:59:59', NULL, NULL, '2025-01-20 11:00:00', '2025-01-20 11:00:00'),
    (2, 'Sportkompaniet on beauty stores', 1, 4, 21, 1, 0, '{"color":"#000000"}', 'return-ads/2/banner.png', NULL, NULL, 0, 0, '2025-01-21 00:00:00', '2029-06-30 23:59:59', NULL, NULL, '2025-01-20 12:00:00', '2025-01-20 12:00:00'),
    (3, 'Moda Warszawa fashion banner', 3, 7, 22, 1, 0, NULL, 'return-ads/3/banner.webp', 50000, 1000000, 0, 0, '2025-01-22 00:00:00', '2030-06-30 23:59:59', NULL, NULL, '2025-01-20 13:00:00', '2025-01-20 13:00:00'),
    (4, 'Stockholm Home (paused)', 1, 3, 23, 1, 1, NULL, 'return-ads/4/banner.jpg', NULL, NULL, 0, 0, '2025-01-23 00:00:00', '2030-12-31 23:59:59', '2025-02-01 08:00:00', NULL, '2025-01-20 14:00:00', '2025-01-20 14:00:00'),
    (5, 'Nordic Beauty winter banner', 1, 1, 20, 1, 1, NULL, 'return-ads/5/banner.jpg', NULL, NULL, 0, 0, '2025-01-10 00:00:00', '2025-02-28 23:59:59', NULL, NULL, '2025-01-20 15:00:00', '2025-01-20 15:00:00'),
    (6, 'Moda Warszawa outlet banner', 3, 7, 22, 1, 1, NULL, 'return-ads/6/banner.jpg', NULL, NULL, 0, 0, '2099-01-01 00:00:00', '2099-03-31 23:59:59', NULL, NULL, '2025-01-20 16:00:00', '2025-01-20 16:00:00'),
    (7, 'Sportkompaniet old banner', 1, 4, 21, 1, 1, NULL, NULL, NULL, NULL, 0, 0, '2025-01-05 00:00:00', '2030-01-31 23:59:59', NULL, '2025-01-25 10:00:00', '2025-01-20 17:00:00', '2025-01-20 17:00:00');

-- Return ad 2 is shown on stores 1 and 3.
INSERT INTO return_ad_advertisers (return_ad_id, store_id) VALUES
    (2, 1),
    (2, 3);

-- Return ad 3 on Fashion stores, 2 also on Beauty stores.
INSERT INTO return_ad_categories (return_ad_id, store_category_id) VALUES
    (3, 2),
    (2, 1);

-- ==========================================================================
-- Clicks and orders
-- ==========================================================================

-- Offer 4 (ended in February 2025): 20 clicks on its own days.
INSERT INTO clicks (occurred_at, store_id, user_id, affiliate_link_id, offer_id, return_ad_id,
                    source, cost, earning, currency, visitor_hash, country)
WITH RECURSIVE d AS (SELECT 0 AS n UNION ALL SELECT n + 1 FROM d WHERE n < 19)
SELECT TIMESTAMP('2025-02-01 12:00:00') + INTERVAL d.n DAY + INTERVAL (d.n * 37 % 600) MINUTE,
       1, 3, 25, 4, NULL, 0, 180, 140, 'SEK', UNHEX(MD5(CONCAT('offer4-', d.n % 7))), 'SE'
FROM d ORDER BY d.n;

-- Everything else: the last 60 days, relative to the load time, never in the
-- future and never before the link existed. Per link and day,
-- (link_id * 3 + day * 7) % (max_per_day + 1) clicks; the source alternates
-- between source_a and source_b; cost / earning from the campaign's costs
-- (and the participant's overrides); up to 3 distinct visitors per link and
-- day, so unique clicks < clicks.
CREATE TEMPORARY TABLE demo_click_plan (
    affiliate_link_id BIGINT UNSIGNED  NOT NULL PRIMARY KEY,
    return_ad_id      BIGINT UNSIGNED  NULL,
    source_a          TINYINT UNSIGNED NOT NULL,
    source_b          TINYINT UNSIGNED NOT NULL,
    max_per_day       INT              NOT NULL
);
INSERT INTO demo_click_plan VALUES
    (1, NULL, 0, 1, 6), (2, NULL, 0, 1, 4), (3, NULL, 1, 1, 3), (4, NULL, 0, 0, 2),
    (5, NULL, 0, 1, 3), (6, NULL, 0, 1, 2), (7, NULL, 1, 0, 5), (8, NULL, 0, 2, 2),
    (9, NULL, 0, 0, 2), (10, NULL, 0, 4, 2), (11, NULL, 0, 3, 5), (12, NULL, 0, 0, 2),
    (13, NULL, 3, 0, 4), (14, NULL, 0, 0, 3), (15, NULL, 0, 1, 3), (16, NULL, 0, 0, 4),
    (17, NULL, 0, 0, 2), (18, NULL, 0, 0, 2), (19, NULL, 0, 0, 1), (20, 1, 0, 0, 6),
    (21, 2, 0, 0, 3), (22, 3, 0, 0, 3), (24, NULL, 0, 0, 1);

INSERT INTO clicks (occurred_at, store_id, user_id, affiliate_link_id, offer_id, return_ad_id,
                    source, cost, earning, currency, visitor_hash, country)
WITH RECURSIVE days AS (SELECT 0 AS n UNION ALL SELECT n + 1 FROM days WHERE n < 59),
               k    AS (SELECT 1 AS i UNION ALL SELECT i + 1 FROM k WHERE i < 6)
SELECT x.occurred_at, x.store_id, x.user_id, x.link_id, x.offer_id, x.return_ad_id, x.source,
       IF(x.return_ad_id IS NULL, COALESCE(tc.invoice_cpc, tc.cpc, 0), 0),
       IF(x.return_ad_id IS NULL, COALESCE(ov.cpc, tc.cpc, 0), 0),
       s.currency, UNHEX(MD5(CONCAT('v', x.link_id, '-', x.n, '-', x.i % 3))), s.country
FROM (
    SELECT l.id AS link_id, l.store_id, l.user_id, l.offer_id, l.created_at, p.return_ad_id, days.n, k.i,
           IF((k.i + days.n) % 2 = 0, p.source_a, p.source_b) AS source,
           UTC_TIMESTAMP() - INTERVAL days.n DAY
               - INTERVAL (60 + (l.id * 3607 + k.i * 7919 + days.n * 613) % 86000) SECOND AS occurred_at
    FROM affiliate_links l
    JOIN demo_click_plan p ON p.affiliate_link_id = l.id
    JOIN days
    JOIN k ON k.i <= (l.id * 3 + days.n * 7) % (p.max_per_day + 1)
) x
JOIN stores s ON s.id = x.store_id
LEFT JOIN offer_traffic_source_costs tc ON tc.offer_id = x.offer_id AND tc.source = x.source
LEFT JOIN offer_users ou ON ou.offer_id = x.offer_id AND ou.user_id = x.user_id
LEFT JOIN offer_user_cost_overrides ov ON ov.offer_user_id = ou.id AND ov.source = x.source
WHERE x.occurred_at > x.created_at
ORDER BY x.occurred_at, x.link_id, x.i;

DROP TEMPORARY TABLE demo_click_plan;

-- One order for every 23rd click, 30 seconds after it. order_value 50.00 to
-- 999.99; commission = value x invoice cpa (campaign) or the store's rate
-- (return ads); earning = value x the creator's cpa (override first).
-- Every 11th is rejected, the others of the last 14 days pending, the rest approved.
INSERT INTO orders (occurred_at, store_id, user_id, affiliate_link_id, click_id, offer_id, return_ad_id,
                    source, external_id, status, order_value, commission, earning, currency,
                    created_at, updated_at)
SELECT c.occurred_at + INTERVAL 30 SECOND, c.store_id, c.user_id, c.affiliate_link_id, c.id, c.offer_id,
       c.return_ad_id, c.source, CONCAT('DEMO-', LPAD(c.id, 6, '0')),
       CASE WHEN (c.id DIV 23) % 11 = 0 THEN 'rejected'
            WHEN c.occurred_at > UTC_TIMESTAMP() - INTERVAL 14 DAY THEN 'pending'
            ELSE 'approved' END,
       5000 + (c.id * 7919) % 95000,
       ROUND((5000 + (c.id * 7919) % 95000) * COALESCE(tc.invoice_cpa, tc.cpa, s.commission_rate, 0)),
       IF(c.return_ad_id IS NULL,
          ROUND((5000 + (c.id * 7919) % 95000) * COALESCE(ov.cpa, tc.cpa, s.commission_rate, 0)), 0),
       c.currency, c.occurred_at + INTERVAL 30 SECOND, c.occurred_at + INTERVAL 30 SECOND
FROM clicks c
JOIN stores s ON s.id = c.store_id
LEFT JOIN offer_traffic_source_costs tc ON tc.offer_id = c.offer_id AND tc.source = c.source
LEFT JOIN offer_users ou ON ou.offer_id = c.offer_id AND ou.user_id = c.user_id
LEFT JOIN offer_user_cost_overrides ov ON ov.offer_user_id = ou.id AND ov.source = c.source
WHERE c.id % 23 = 0
ORDER BY c.id;

-- Counters kept in step with the events (updated_at left as it was).
UPDATE offer_users ou
SET ou.click_count = (SELECT COUNT(*) FROM clicks c WHERE c.offer_id = ou.offer_id AND c.user_id = ou.user_id),
    ou.updated_at = ou.updated_at
WHERE ou.user_id IS NOT NULL;

UPDATE return_ads r
SET r.current_clicks = (SELECT COUNT(*) FROM clicks c WHERE c.return_ad_id = r.id),
    r.updated_at = r.updated_at;
UPDATE return_ads r
SET r.current_views = r.current_clicks * 37 + IF(r.current_clicks > 0, 1200, 0),
    r.updated_at = r.updated_at;

-- ==========================================================================
-- Creator media
-- ==========================================================================

-- Creator media: 12 posts, every type, show_store 0/1/2, favourites, with and without a media
-- object, 4 not matched to a user.
INSERT INTO user_media (id, user_id, store_group_id, media_type, media_id, username, tag_id, favorite, show_store, published_at, media_content_type, media_href, created_at, updated_at) VALUES
    (1, 3, 1, 'instagram', 'C3xYz01AbCd', 'creatorone', NULL, 1, 1, '2025-01-10', 'image/jpeg', 'https://media-instagram.demo.metapic.test/creatorone/C3xYz01AbCd', '2025-01-24 12:17:00', '2025-01-24 12:17:00'),
    (2, 3, 1, 'tiktok', '7245692137566653722', 'creator.one', NULL, 0, 0, '2025-01-12', 'video/mp4', 'https://media-tiktok.demo.metapic.test/creator.one/7245692137566653722', '2025-01-24 12:34:00', '2025-01-24 12:34:00'),
    (3, 5, 2, 'instagram', 'C3xYz02EfGh', 'creatortwo', NULL, 1, 2, '2025-01-14', 'image/jpeg', 'https://media-instagram.demo.metapic.test/creatortwo/C3xYz02EfGh', '2025-01-24 12:51:00', '2025-01-24 13:51:00'),
    (4, 5, 2, 'youtube', 'FLR0BB4qDt8', 'CreatorTwoVlogs', NULL, 0, 1, '2025-01-15', NULL, NULL, '2025-01-24 13:08:00', '2025-01-24 13:08:00'),
    (5, 6, 1, 'instagram', 'C3xYz03IjKl', 'annalindqvist', 101, 1, 1, '2025-01-16', 'video/mp4', 'https://media-instagram.demo.metapic.test/annalindqvist/C3xYz03IjKl', '2025-01-24 13:25:00', '2025-01-24 13:25:00'),
    (6, 8, 1, 'instagram', 'C3xYz04MnOp', 'sarasbeauty', NULL, 0, 0, '2025-01-17', 'image/jpeg', 'https://media-instagram.demo.metapic.test/sarasbeauty/C3xYz04MnOp', '2025-01-24 13:42:00', '2025-01-24 14:42:00'),
    (7, 22, 2, 'tiktok', '7245692137566653999', 'norastil', NULL, 1, 0, '2025-01-18', 'video/mp4', 'https://media-tiktok.demo.metapic.test/norastil/7245692137566653999', '2025-01-24 13:59:00', '2025-01-24 13:59:00'),
    (8, 31, 3, 'instagram', 'C3xYz05QrSt', 'zofia.styl', 102, 0, 1, '2025-01-19', 'image/jpeg', 'https://media-instagram.demo.metapic.test/zofia.styl/C3xYz05QrSt', '2025-01-24 14:16:00', '2025-01-24 14:16:00'),
    (9, NULL, 1, 'youtube', 'dQw4w9WgXcQ', 'hemmafixaren', NULL, 0, 0, '2025-01-20', NULL, NULL, '2025-01-24 14:33:00', '2025-01-24 15:33:00'),
    (10, NULL, 1, 'tiktok', '7245692137566654111', 'juliaringblomm', NULL, 1, 2, '2025-01-21', 'video/mp4', 'https://media-tiktok.demo.metapic.test/juliaringblomm/7245692137566654111', '2025-01-24 14:50:00', '2025-01-24 14:50:00'),
    (11, NULL, 3, 'instagram', 'C3xYz06UvWx', 'krakow.looks', NULL, 0, 1, '2025-01-22', 'image/jpeg', 'https://media-instagram.demo.metapic.test/krakow.looks/C3xYz06UvWx', '2025-01-24 15:07:00', '2025-01-24 15:07:00'),
    (12, NULL, NULL, 'youtube', 'aBcDeFgHiJk', 'unknown.channel', NULL, 0, 0, '2025-01-23', NULL, NULL, '2025-01-24 15:24:00', '2025-01-24 16:24:00');

-- ==========================================================================
-- Creator payouts
-- ==========================================================================

-- Payments per creator and month (2025-01 and 2025-02 paid, 2025-03 not yet).
INSERT INTO payments (id, user_id, payment_period, amount, currency, paid_at, created_at, updated_at) VALUES
    (1, 3, '2025-01', 40822, 'SEK', '2025-02-23 06:03:00', '2025-02-03 06:03:00', '2025-02-03 06:03:00'),
    (2, 5, '2025-01', 40685, 'NOK', '2025-02-23 06:05:00', '2025-02-03 06:05:00', '2025-02-03 06:05:00'),
    (3, 6, '2025-01', 31644, 'SEK', '2025-02-23 06:06:00', '2025-02-03 06:06:00', '2025-02-03 06:06:00'),
    (4, 8, '2025-01', 31096, 'SEK', '2025-02-23 06:08:00', '2025-02-03 06:08:00', '2025-02-03 06:08:00'),
    (5, 22, '2025-01', 53014, 'NOK', '2025-02-23 06:22:00', '2025-02-03 06:22:00', '2025-02-03 06:22:00'),
    (6, 3, '2025-02', 45822, 'SEK', '2025-03-23 06:03:00', '2025-03-03 06:03:00', '2025-03-03 06:03:00'),
    (7, 5, '2025-02', 43185, 'NOK', '2025-03-23 06:05:00', '2025-03-03 06:05:00', '2025-03-03 06:05:00'),
    (8, 6, '2025-02', 36644, 'SEK', '2025-03-23 06:06:00', '2025-03-03 06:06:00', '2025-03-03 06:06:00'),
    (9, 8, '2025-02', 33596, 'SEK', '2025-03-23 06:08:00', '2025-03-03 06:08:00', '2025-03-03 06:08:00'),
    (10, 22, '2025-02', 55514, 'NOK', '2025-03-23 06:22:00', '2025-03-03 06:22:00', '2025-03-03 06:22:00'),
    (11, 3, '2025-03', 50822, 'SEK', NULL, '2025-04-03 06:03:00', '2025-04-03 06:03:00'),
    (12, 5, '2025-03', 45685, 'NOK', NULL, '2025-04-03 06:05:00', '2025-04-03 06:05:00'),
    (13, 6, '2025-03', 41644, 'SEK', NULL, '2025-04-03 06:06:00', '2025-04-03 06:06:00'),
    (14, 8, '2025-03', 36096, 'SEK', NULL, '2025-04-03 06:08:00', '2025-04-03 06:08:00'),
    (15, 22, '2025-03', 58014, 'NOK', NULL, '2025-04-03 06:22:00', '2025-04-03 06:22:00');

-- Payment parts per store.
INSERT INTO payment_parts (id, payment_id, store_id, amount, click_count, order_count, created_at) VALUES
    (1, 1, 1, 30411, 123, 3, '2025-02-03 06:03:00'),
    (2, 1, 3, 10411, 43, 1, '2025-02-03 06:03:00'),
    (3, 2, 2, 40685, 165, 4, '2025-02-03 06:05:00'),
    (4, 3, 1, 20822, 86, 2, '2025-02-03 06:06:00'),
    (5, 3, 4, 10822, 46, 1, '2025-02-03 06:06:00'),
    (6, 4, 1, 31096, 128, 3, '2025-02-03 06:08:00'),
    (7, 5, 2, 53014, 222, 5, '2025-02-03 06:22:00'),
    (8, 6, 1, 32911, 128, 4, '2025-03-03 06:03:00'),
    (9, 6, 3, 12911, 48, 2, '2025-03-03 06:03:00'),
    (10, 7, 2, 43185, 170, 5, '2025-03-03 06:05:00'),
    (11, 8, 1, 23322, 91, 3, '2025-03-03 06:06:00'),
    (12, 8, 4, 13322, 51, 2, '2025-03-03 06:06:00'),
    (13, 9, 1, 33596, 133, 4, '2025-03-03 06:08:00'),
    (14, 10, 2, 55514, 227, 6, '2025-03-03 06:22:00'),
    (15, 11, 1, 35411, 133, 5, '2025-04-03 06:03:00'),
    (16, 11, 3, 15411, 53, 3, '2025-04-03 06:03:00'),
    (17, 12, 2, 45685, 175, 6, '2025-04-03 06:05:00'),
    (18, 13, 1, 25822, 96, 4, '2025-04-03 06:06:00'),
    (19, 13, 4, 15822, 56, 3, '2025-04-03 06:06:00'),
    (20, 14, 1, 36096, 138, 5, '2025-04-03 06:08:00'),
    (21, 15, 2, 58014, 232, 7, '2025-04-03 06:22:00');

-- Invoices, one per payment. Their files (small real PDFs) are in sql/demo/files/:
-- the harness copies that tree to the invoice directory (invoice_dir).
INSERT INTO invoices (id, number, user_id, payment_id, payment_period, amount, currency, file_path, paid_at, created_at, updated_at) VALUES
    (1, 'MP-202501-0003', 3, 1, '2025-01', 40822, 'SEK', 'invoices/2025-01/MP-202501-0003.pdf', '2025-02-23 06:03:00', '2025-02-03 06:33:00', '2025-02-03 06:33:00'),
    (2, 'MP-202501-0005', 5, 2, '2025-01', 40685, 'NOK', 'invoices/2025-01/MP-202501-0005.pdf', '2025-02-23 06:05:00', '2025-02-03 06:35:00', '2025-02-03 06:35:00'),
    (3, 'MP-202501-0006', 6, 3, '2025-01', 31644, 'SEK', 'invoices/2025-01/MP-202501-0006.pdf', '2025-02-23 06:06:00', '2025-02-03 06:36:00', '2025-02-03 06:36:00'),
    (4, 'MP-202501-0008', 8, 4, '2025-01', 31096, 'SEK', 'invoices/2025-01/MP-202501-0008.pdf', '2025-02-23 06:08:00', '2025-02-03 06:38:00', '2025-02-03 06:38:00'),
    (5, 'MP-202501-0022', 22, 5, '2025-01', 53014, 'NOK', 'invoices/2025-01/MP-202501-0022.pdf', '2025-02-23 06:22:00', '2025-02-03 06:52:00', '2025-02-03 06:52:00'),
    (6, 'MP-202502-0003', 3, 6, '2025-02', 45822, 'SEK', 'invoices/2025-02/MP-202502-0003.pdf', '2025-03-23 06:03:00', '2025-03-03 06:33:00', '2025-03-03 06:33:00'),
    (7, 'MP-202502-0005', 5, 7, '2025-02', 43185, 'NOK', 'invoices/2025-02/MP-202502-0005.pdf', '2025-03-23 06:05:00', '2025-03-03 06:35:00', '2025-03-03 06:35:00'),
    (8, 'MP-202502-0006', 6, 8, '2025-02', 36644, 'SEK', 'invoices/2025-02/MP-202502-0006.pdf', '2025-03-23 06:06:00', '2025-03-03 06:36:00', '2025-03-03 06:36:00'),
    (9, 'MP-202502-0008', 8, 9, '2025-02', 33596, 'SEK', 'invoices/2025-02/MP-202502-0008.pdf', '2025-03-23 06:08:00', '2025-03-03 06:38:00', '2025-03-03 06:38:00'),
    (10, 'MP-202502-0022', 22, 10, '2025-02', 55514, 'NOK', 'invoices/2025-02/MP-202502-0022.pdf', '2025-03-23 06:22:00', '2025-03-03 06:52:00', '2025-03-03 06:52:00'),
    (11, 'MP-202503-0003', 3, 11, '2025-03', 50822, 'SEK', 'invoices/2025-03/MP-202503-0003.pdf', NULL, '2025-04-03 06:33:00', '2025-04-03 06:33:00'),
    (12, 'MP-202503-0005', 5, 12, '2025-03', 45685, 'NOK', 'invoices/2025-03/MP-202503-0005.pdf', NULL, '2025-04-03 06:35:00', '2025-04-03 06:35:00'),
    (13, 'MP-202503-0006', 6, 13, '2025-03', 41644, 'SEK', 'invoices/2025-03/MP-202503-0006.pdf', NULL, '2025-04-03 06:36:00', '2025-04-03 06:36:00'),
    (14, 'MP-202503-0008', 8, 14, '2025-03', 36096, 'SEK', 'invoices/2025-03/MP-202503-0008.pdf', NULL, '2025-04-03 06:38:00', '2025-04-03 06:38:00'),
    (15, 'MP-202503-0022', 22, 15, '2025-03', 58014, 'NOK', 'invoices/2025-03/MP-202503-0022.pdf', NULL, '2025-04-03 06:52:00', '2025-04-03 06:52:00');

-- ==========================================================================
-- Export jobs and uploads
-- ==========================================================================

-- A member's export of store 1's active campaigns, queued an hour ago:
-- metapic-export-worker writes it as soon as it starts (GET /v2/exports/1
-- as user 2 or an admin). Dates relative to now, so that the worker's sweep
-- (export_max_age) does not remove it.
INSERT INTO exports (id, user_id, kind, format, filters, status, created_at) VALUES
    (1, 2, 'offers', 'csv', '{"created_by":"2","statuses":["active"]}', 'queued', UTC_TIMESTAMP() - INTERVAL 1 HOUR);

-- A temporary upload already used (so the cleaner leaves it).
INSERT INTO image_uploads (id, user_id, path, content_type, size_bytes, created_at, used_at) VALUES
    (1, 1, 'tmp/3f2a9c1e5b7d4a6f8e0b1c2d3e4f5a6b.jpg', 'image/jpeg', 184223, '2025-01-20 10:30:00', '2025-01-20 10:31:00');

COMMIT;
