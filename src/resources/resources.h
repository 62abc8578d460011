/*
 * resources.h -- the handlers, one file per resource under resources/.
 */
#ifndef METAPIC_RESOURCES_H
#define METAPIC_RESOURCES_H

#include "../router.h"

/*
 * consumed_budget of the shared budget aliased b: what the campaigns
 * drawing from it have cost the store, their clicks' cost and their
 * orders' commission (sql/README, "Events"), but for rejected orders,
 * which the store does not pay. SUM of BIGINT is DECIMAL in MariaDB: cast
 * back so that the answer holds an integer.
 */
#define SHARED_BUDGET_CONSUMED_SQL \
	"CAST(COALESCE((SELECT SUM(c.cost) FROM offers bo JOIN clicks c" \
	" ON c.offer_id = bo.id WHERE bo.shared_budget_id = b.id), 0) + " \
	"COALESCE((SELECT SUM(x.commission) FROM offers bo JOIN orders x" \
	" ON x.offer_id = bo.id WHERE bo.shared_budget_id = b.id" \
	" AND x.status <> 'rejected'), 0) AS SIGNED)"

extern const struct handler h_healthz;
extern const struct handler h_store_categories_list;
extern const struct handler h_advertiser_groups_list;
extern const struct handler h_clients_list;
extern const struct handler h_users_list;
extern const struct handler h_user_tags_list;
extern const struct handler h_blocklist_list;
extern const struct handler h_blocklist_add;
extern const struct handler h_blocklist_remove;
extern const struct handler h_payment_invoices;
extern const struct handler h_image_upload;
extern const struct handler h_match_users;
extern const struct handler h_entrypoint;
extern const struct handler h_stores_list;
extern const struct handler h_stores_create;
extern const struct handler h_stores_payment;
extern const struct handler h_stores_by_categories;
extern const struct handler h_stores_by_toplist;
extern const struct handler h_shared_budgets_list;
extern const struct handler h_shared_budgets_show;
extern const struct handler h_shared_budgets_update;
extern const struct handler h_shared_budgets_remove;
extern const struct handler h_offers_show;
extern const struct handler h_offers_by_token;
extern const struct handler h_offers_list;
extern const struct handler h_offers_remove;
extern const struct handler h_offers_pause;
extern const struct handler h_offers_unpause;
extern const struct handler h_offers_upload;
extern const struct handler h_offers_create;
extern const struct handler h_offers_update;
extern const struct handler h_offer_targets_list;
extern const struct handler h_offer_targets_add;
extern const struct handler h_offer_stats;
extern const struct handler h_user_offers;
extern const struct handler h_offers_join;
extern const struct handler h_comments_add;
extern const struct handler h_comments_update;
extern const struct handler h_comments_remove;
extern const struct handler h_participants_update_status;
extern const struct handler h_participants_todo;
extern const struct handler h_participants_clicks;
extern const struct handler h_participants_costs;
extern const struct handler h_participant_activities;
extern const struct handler h_participants_list;
extern const struct handler h_participants_show;
extern const struct handler h_offer_user_check;
extern const struct handler h_token_user_check;
extern const struct handler h_participants_activity;
extern const struct handler h_participants_stats;

extern const struct handler h_affiliate_links_show;
extern const struct handler h_affiliate_links_create;

extern const struct handler h_user_media_list;

/* The lists an export can write (page.h), and the exports themselves. */
struct page_list;
extern const struct page_list offers_listing;
extern const struct page_list user_media_listing;
extern const struct handler h_exports_show;
extern const struct handler h_exports_download;
extern const struct handler h_payments_ax_matching;
extern const struct handler h_payments_mark_paid;
extern const struct handler h_return_ads_list;
extern const struct handler h_return_ads_show;
extern const struct handler h_return_ads_create;
extern const struct handler h_return_ads_update;
extern const struct handler h_return_ads_remove;
extern const struct handler h_return_ads_pause;
extern const struct handler h_return_ads_unpause;
extern const struct handler h_return_ads_for_store;

#endif
