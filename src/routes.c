/*
 * routes.c -- every endpoint of the published API, as data.
 *
 * One row per path and method set: who may call it (access) and the
 * object its path names (scope), both checked before the handler. Rows whose
 * handler is NULL are not built yet and answer 501 "Not implemented."
 * after authentication and the access check. The order of rows matters
 * only where two patterns match the same path: the first wins.
 */
#include "config.h"

#include "resources/resources.h"
#include "router.h"

#define GET ROUTE_METHOD(HTTP_GET)
#define POST ROUTE_METHOD(HTTP_POST)
#define PUT ROUTE_METHOD(HTTP_PUT)
#define PATCH ROUTE_METHOD(HTTP_PATCH)
#define DELETE ROUTE_METHOD(HTTP_DELETE)

/* Scopes, short: the object each path names (scope.h). */
#define NONE SCOPE_NONE
#define STORE SCOPE_STORE
#define OFFER SCOPE_OFFER
#define OFFER_ANY SCOPE_OFFER_ANY
#define PARTICIPANT SCOPE_PARTICIPANT
#define OFFER_USER SCOPE_OFFER_USER
#define COMMENT SCOPE_COMMENT
#define BUDGET SCOPE_SHARED_BUDGET
#define RETURN_AD SCOPE_RETURN_AD
#define USER SCOPE_USER
#define TOKEN SCOPE_OFFER_TOKEN
#define TOKEN_USER SCOPE_OFFER_TOKEN_USER
#define TOKEN_SELF SCOPE_OFFER_TOKEN_SELF
#define LINK SCOPE_AFFILIATE_LINK
#define ANY_STORE SCOPE_STORE_PUBLIC
#define EXPORT SCOPE_EXPORT

const struct route routes[] = {
	{ GET, "/healthz", ACC_PUBLIC, NONE, &h_healthz },

	/* Advertiser: creator blocklist */
	{ GET, "/v2/advertisers/{advertiser_id}/blocklist", ACC_STORE, STORE, &h_blocklist_list },
	{ POST, "/v2/advertisers/{advertiser_id}/blocklist", ACC_STORE, STORE, &h_blocklist_add },
	{ DELETE, "/v2/advertisers/{advertiser_id}/blocklist/{target_id}", ACC_STORE, STORE, &h_blocklist_remove },

	/* Advertiser groups, clients, categories, directory */
	{ GET, "/v2/advertiser-groups", ACC_ADMIN, NONE, &h_advertiser_groups_list },
	{ GET, "/v2/clients", ACC_ADMIN, NONE, &h_clients_list },
	{ GET, "/v2/store-categories", ACC_USER, NONE, &h_store_categories_list },
	{ GET, "/v2/users", ACC_ADMIN, NONE, &h_users_list },
	{ GET, "/v2/user-tags", ACC_STORE, NONE, &h_user_tags_list },
	{ POST, "/v2/match-users", ACC_ADMIN, NONE, &h_match_users },
	{ GET, "/v2/entrypoint", ACC_USER, NONE, &h_entrypoint },

	/* Affiliate links */
	{ GET, "/v2/affiliate-links/{id}", ACC_USER, LINK, &h_affiliate_links_show },
	{ POST, "/v2/affiliate-links", ACC_USER, NONE, &h_affiliate_links_create },

	/* Creator media, uploads, payments */
	{ GET, "/v2/user-media", ACC_ADMIN, NONE, &h_user_media_list },

	/* Exports (SPEC.md): the files metapic-export-worker writes */
	{ GET, "/v2/exports/{id}", ACC_USER, EXPORT, &h_exports_show },
	{ GET, "/v2/exports/{id}/download", ACC_USER, EXPORT, &h_exports_download },
	{ POST, "/v2/image-uploads", ACC_USER, NONE, &h_image_upload },
	{ GET, "/v2/payments/getPaymentInvoices", ACC_ADMIN, NONE, &h_payment_invoices },
	{ POST, "/v2/payments/upload-ax-id-matching", ACC_ADMIN, NONE, &h_payments_ax_matching },
	{ POST, "/v2/payments/mark-invoices-as-paid", ACC_ADMIN, NONE, &h_payments_mark_paid },

	/* Stores */
	{ GET, "/v2/stores", ACC_STORE, NONE, &h_stores_list },
	{ POST, "/v2/stores", ACC_USER, NONE, &h_stores_create },
	{ PUT, "/v2/stores/{store_id}/payment", ACC_STORE, STORE, &h_stores_payment },
	{ GET, "/v2/users/{user_id}/stores-by-categories", ACC_USER, USER,
	    &h_stores_by_categories },
	{ GET, "/v2/users/{user_id}/stores-by-toplist", ACC_USER, USER, &h_stores_by_toplist },

	/* Shared budgets */
	{ GET, "/v2/stores/{store_id}/shared-budgets", ACC_STORE, STORE, &h_shared_budgets_list },
	{ GET, "/v2/stores/{store_id}/shared-budgets/{id}", ACC_STORE, BUDGET, &h_shared_budgets_show },
	{ PUT | PATCH, "/v2/stores/{store_id}/shared-budgets/{id}", ACC_STORE, BUDGET,
	    &h_shared_budgets_update },
	{ DELETE, "/v2/stores/{store_id}/shared-budgets/{id}", ACC_STORE, BUDGET,
	    &h_shared_budgets_remove },

	/* Campaigns (offers) */
	{ POST, "/v2/stores/{store_id}/offers", ACC_STORE, STORE, &h_offers_create },
	{ GET, "/v2/offers", ACC_STORE, NONE, &h_offers_list },
	{ GET, "/v2/offers/{offer_id}", ACC_STORE, OFFER_ANY, &h_offers_show },
	{ PUT | PATCH, "/v2/offers/{id}", ACC_STORE, OFFER, &h_offers_update },
	{ DELETE, "/v2/offers/{id}", ACC_STORE, OFFER_ANY, &h_offers_remove },
	{ POST, "/v2/offers/{offer_id}/uploads", ACC_STORE, OFFER, &h_offers_upload },
	{ POST, "/v2/offers/{offer_id}/pause", ACC_STORE, OFFER_ANY, &h_offers_pause },
	{ POST, "/v2/offers/{offer_id}/unpause", ACC_STORE, OFFER_ANY, &h_offers_unpause },
	{ GET, "/v2/offers/{offer_id}/stats", ACC_STORE, OFFER_ANY, &h_offer_stats },
	{ GET, "/v2/offers/{offer_id}/targets", ACC_STORE, OFFER_ANY, &h_offer_targets_list },
	{ POST, "/v2/offers/{offer_id}/targets", ACC_STORE, OFFER, &h_offer_targets_add },
	{ GET, "/v2/users/{user_id}/offers", ACC_USER, USER, &h_user_offers },
	{ GET, "/v2/offer-by-token/{offer_token}", ACC_USER, TOKEN, &h_offers_by_token },

	/* Campaign participants */
	{ GET, "/v2/offers/{offer_id}/users/{id}", ACC_STORE, OFFER, &h_offer_user_check },
	{ GET, "/v2/offers/{offer_id}/participants", ACC_STORE, OFFER, &h_participants_list },
	{ GET, "/v2/offers/{offer_id}/participants/{id}", ACC_STORE, PARTICIPANT, &h_participants_show },
	{ GET, "/v2/offers/{offer_id}/participants-stats", ACC_STORE, OFFER, &h_participants_stats },
	{ GET, "/v2/offers/{offer_id}/participants-count-by-click-activity", ACC_STORE, OFFER, &h_participants_activity },
	{ PATCH, "/v2/offers/{offer_id}/participants/{participant_id}/update-status", ACC_STORE, PARTICIPANT, &h_participants_update_status },
	{ PATCH, "/v2/offers/{offer_id}/participants/{participant_id}/todo", ACC_STORE, PARTICIPANT, &h_participants_todo },
	{ PATCH, "/v2/offers/{offer_id}/participants/{participant_id}/overrides/clicks", ACC_STORE, PARTICIPANT, &h_participants_clicks },
	{ PATCH, "/v2/offers/{offer_id}/participants/{participant_id}/overrides/costs", ACC_STORE, PARTICIPANT, &h_participants_costs },
	{ GET, "/v2/offer-by-token/{offer_token}/users/{user_id}", ACC_USER, TOKEN_USER, &h_token_user_check },
	{ POST, "/v2/offer-by-token/{offer_token}/users/{user_id}/join", ACC_USER, TOKEN_SELF, &h_offers_join },
	{ POST, "/v2/offer-users/{offer_user_id}/comments", ACC_USER, OFFER_USER, &h_comments_add },
	{ PUT | PATCH, "/v2/offer-users/{offer_user_id}/comments/{id}", ACC_USER, COMMENT, &h_comments_update },
	{ DELETE, "/v2/offer-users/{offer_user_id}/comments/{id}", ACC_USER, COMMENT, &h_comments_remove },
	{ GET, "/v2/offer-users/{offer_user}/activities", ACC_USER, OFFER_USER, &h_participant_activities },

	/* Return ads */
	{ GET, "/v2/return-ads", ACC_STORE, NONE, &h_return_ads_list },
	{ POST, "/v2/return-ads", ACC_ADMIN, NONE, &h_return_ads_create },
	{ GET, "/v2/return-ads/{id}", ACC_STORE, RETURN_AD, &h_return_ads_show },
	{ PUT | PATCH, "/v2/return-ads/{id}", ACC_ADMIN, RETURN_AD, &h_return_ads_update },
	{ DELETE, "/v2/return-ads/{id}", ACC_ADMIN, RETURN_AD, &h_return_ads_remove },
	{ POST, "/v2/return-ads/{returnAd_id}/pause", ACC_ADMIN, RETURN_AD, &h_return_ads_pause },
	{ POST, "/v2/return-ads/{returnAd_id}/unpause", ACC_ADMIN, RETURN_AD, &h_return_ads_unpause },
	{ GET, "/v2/advertisers/{store_id}/return-ads", ACC_USER, ANY_STORE, &h_return_ads_for_store },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
