/*
 * resources.h -- the handlers, one file per resource under resources/.
 */
#ifndef METAPIC_RESOURCES_H
#define METAPIC_RESOURCES_H

#include "../router.h"

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

#endif
