/*
 * routes.c -- every endpoint of the published API, as data.
 *
 * One row per path and method set, with who may call it. Rows whose
 * handler is NULL are not built yet and answer 501 "Not implemented."
 * after authentication and the access check. The order of rows matters
 * only where two patterns match the same path: the first wins.
 */
#include "config.h"

#include "resources/resources.h"
#include "router.h"

#define GET M(HTTP_GET)
#define POST M(HTTP_POST)
#define PUT M(HTTP_PUT)
#define PATCH M(HTTP_PATCH)
#define DELETE M(HTTP_DELETE)

const struct route routes[] = {
	{ GET, "/healthz", ACC_PUBLIC, &h_healthz },

	/* Advertiser: creator blocklist */
	{ GET, "/v2/advertisers/{advertiser_id}/blocklist", ACC_STORE, &h_blocklist_list },
	{ POST, "/v2/advertisers/{advertiser_id}/blocklist", ACC_STORE, &h_blocklist_add },
	{ DELETE, "/v2/advertisers/{advertiser_id}/blocklist/{target_id}", ACC_STORE,
	    &h_blocklist_remove },

	/* Advertiser groups, clients, categories, directory */
	{ GET, "/v2/advertiser-groups", ACC_ADMIN, &h_advertiser_groups_list },
	{ GET, "/v2/clients", ACC_ADMIN, &h_clients_list },
	{ GET, "/v2/store-categories", ACC_USER, &h_store_categories_list },
	{ GET, "/v2/users", ACC_ADMIN, &h_users_list },
	{ GET, "/v2/user-tags", ACC_STORE, &h_user_tags_list },
	{ POST, "/v2/match-users", ACC_ADMIN, NULL },
	{ GET, "/v2/entrypoint", ACC_USER, NULL },

	/* Affiliate links */
	{ GET, "/v2/affiliate-links/{id}", ACC_USER, NULL },
	{ POST, "/v2/affiliate-links", ACC_USER, NULL },

	/* Creator media, uploads, payments */
	{ GET, "/v2/user-media", ACC_ADMIN, NULL },
	{ POST, "/v2/image-uploads", ACC_USER, NULL },
	{ GET, "/v2/payments/getPaymentInvoices", ACC_ADMIN, NULL },
	{ POST, "/v2/payments/upload-ax-id-matching", ACC_ADMIN, NULL },
	{ POST, "/v2/payments/mark-invoices-as-paid", ACC_ADMIN, NULL },

	/* Stores */
	{ GET, "/v2/stores", ACC_STORE, NULL },
	{ POST, "/v2/stores", ACC_USER, NULL },
	{ PUT, "/v2/stores/{store_id}/payment", ACC_STORE, NULL },
	{ GET, "/v2/users/{user_id}/stores-by-categories", ACC_USER, NULL },
	{ GET, "/v2/users/{user_id}/stores-by-toplist", ACC_USER, NULL },

	/* Shared budgets */
	{ GET, "/v2/stores/{store_id}/shared-budgets", ACC_STORE, NULL },
	{ GET, "/v2/stores/{store_id}/shared-budgets/{id}", ACC_STORE, NULL },
	{ PUT | PATCH, "/v2/stores/{store_id}/shared-budgets/{id}", ACC_STORE, NULL },
	{ DELETE, "/v2/stores/{store_id}/shared-budgets/{id}", ACC_STORE, NULL },

	/* Campaigns (offers) */
	{ POST, "/v2/stores/{store_id}/offers", ACC_STORE, NULL },
	{ GET, "/v2/offers", ACC_STORE, NULL },
	{ GET, "/v2/offers/{offer_id}", ACC_STORE, NULL },
	{ PUT | PATCH, "/v2/offers/{id}", ACC_STORE, NULL },
	{ DELETE, "/v2/offers/{id}", ACC_STORE, NULL },
	{ POST, "/v2/offers/{offer_id}/uploads", ACC_STORE, NULL },
	{ POST, "/v2/offers/{offer_id}/pause", ACC_STORE, NULL },
	{ POST, "/v2/offers/{offer_id}/unpause", ACC_STORE, NULL },
	{ GET, "/v2/offers/{offer_id}/stats", ACC_STORE, NULL },
	{ GET, "/v2/offers/{offer_id}/targets", ACC_STORE, NULL },
	{ POST, "/v2/offers/{offer_id}/targets", ACC_STORE, NULL },
	{ GET, "/v2/users/{user_id}/offers", ACC_USER, NULL },
	{ GET, "/v2/offer-by-token/{offer_token}", ACC_USER, NULL },

	/* Campaign participants */
	{ GET, "/v2/offers/{offer_id}/users/{id}", ACC_STORE, NULL },
	{ GET, "/v2/offers/{offer_id}/participants", ACC_STORE, NULL },
	{ GET, "/v2/offers/{offer_id}/participants/{id}", ACC_STORE, NULL },
	{ GET, "/v2/offers/{offer_id}/participants-stats", ACC_STORE, NULL },
	{ GET, "/v2/offers/{offer_id}/participants-count-by-click-activity", ACC_STORE, NULL },
	{ PATCH, "/v2/offers/{offer_id}/participants/{participant_id}/update-status",
	    ACC_STORE, NULL },
	{ PATCH, "/v2/offers/{offer_id}/participants/{participant_id}/todo", ACC_STORE, NULL },
	{ PATCH, "/v2/offers/{offer_id}/participants/{participant_id}/overrides/clicks",
	    ACC_STORE, NULL },
	{ PATCH, "/v2/offers/{offer_id}/participants/{participant_id}/overrides/costs",
	    ACC_STORE, NULL },
	{ GET, "/v2/offer-by-token/{offer_token}/users/{user_id}", ACC_USER, NULL },
	{ POST, "/v2/offer-by-token/{offer_token}/users/{user_id}/join", ACC_USER, NULL },
	{ POST, "/v2/offer-users/{offer_user_id}/comments", ACC_USER, NULL },
	{ PUT | PATCH, "/v2/offer-users/{offer_user_id}/comments/{id}", ACC_USER, NULL },
	{ DELETE, "/v2/offer-users/{offer_user_id}/comments/{id}", ACC_USER, NULL },
	{ GET, "/v2/offer-users/{offer_user}/activities", ACC_USER, NULL },

	/* Return ads */
	{ GET, "/v2/return-ads", ACC_STORE, NULL },
	{ POST, "/v2/return-ads", ACC_ADMIN, NULL },
	{ GET, "/v2/return-ads/{id}", ACC_STORE, NULL },
	{ PUT | PATCH, "/v2/return-ads/{id}", ACC_ADMIN, NULL },
	{ DELETE, "/v2/return-ads/{id}", ACC_ADMIN, NULL },
	{ POST, "/v2/return-ads/{returnAd_id}/pause", ACC_ADMIN, NULL },
	{ POST, "/v2/return-ads/{returnAd_id}/unpause", ACC_ADMIN, NULL },
	{ GET, "/v2/advertisers/{store_id}/return-ads", ACC_USER, NULL },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
