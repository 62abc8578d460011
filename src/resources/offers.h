/*
 * offers.h -- what the campaign handlers share (offers.c, offer_write.c,
 * offer_targets.c, offer_stats.c).
 */
#ifndef METAPIC_OFFERS_H
#define METAPIC_OFFERS_H

#include <stdint.h>

#include <json-c/json.h>

#include "../db.h"
#include "../http.h"
#include "../valid.h"

/*
 * The derived status of the offer aliased o (SPEC.md "Statuses",
 * sql/README): deleted, then paused, then scheduled (starts in the
 * future), then ended (ended in the past), else active.
 */
#define OFFER_STATUS_SQL \
	"(CASE WHEN o.deleted_at IS NOT NULL THEN 'deleted'" \
	" WHEN o.paused_at IS NOT NULL THEN 'paused'" \
	" WHEN o.valid_from > UTC_TIMESTAMP() THEN 'scheduled'" \
	" WHEN o.valid_until < UTC_TIMESTAMP() THEN 'ended'" \
	" ELSE 'active' END)"

/*
 * A campaign as the reference's List campaigns shows an item (and Create
 * campaign its data), for the offer aliased o: the SELECT list, without
 * FROM. image_url holds the storage path until offer_images() runs.
 */
#define OFFER_ITEM_COLUMNS \
	"SELECT o.id, o.campaign_title, o.campaign_text, o.has_product_seeding," \
	" o.has_onetime_payment, " OFFER_STATUS_SQL " AS status," \
	" o.image_path AS image_url, NULL AS image, o.store_id, o.token, o.type"

/* The traffic source names of SPEC.md, by source 0-4. */
extern const char *const offer_source_names[5];

/*
 * Turns each row's image_url (a storage path, or null) into the image's
 * URL and fills its image object (SPEC.md, preset rs:fill:800:500/g:sm),
 * in place. API_SERVER when out of memory.
 */
enum api_err offer_images(struct req *r, struct json_object *rows);

/*
 * Reads campaign id in the Display campaign shape of the reference into
 * *out (a new object): the item's keys with the store's name and logo,
 * the currency, and the costs per traffic source. DB_OK with *out NULL
 * when there is no such offer (deleted ones are found too).
 */
enum db_rc offer_display(struct req *r, int64_t id, struct json_object **out);

/*
 * Reads the costs per traffic source of the offers ids[0..n) (the Display
 * shape's traffic_sources_costs items) into *by_offer: a new object that
 * maps each offer id, as decimal text, to the array of its costs in
 * source order. Offers without costs have no key.
 */
enum db_rc offer_costs_read(const int64_t *ids, size_t n, struct json_object **by_offer);

/* The kinds of targets, in the order of the reference's body. */
enum offer_target_kind {
	T_USERS, T_TAGS, T_GROUPS, T_EMAILS, T_IDENTIFIERS, T_CLIENTS, T_TIERS,
	OFFER_TARGET_KINDS
};

/*
 * The fields of a targets object ({"user_ids": [...], ...}), by kind: the
 * body of POST /v2/offers/{offer_id}/targets and the `targets` of a
 * campaign's create and update.
 */
extern const struct valid_field offer_target_fields[OFFER_TARGET_KINDS];

/*
 * Checks what the table cannot: each of the emails is an e-mail address
 * ("{prefix}emails.0"). API_OK, or API_VALIDATION with the errors.
 */
enum api_err offer_targets_check(struct req *r, const char *prefix,
    const struct valid_value *vals);

/*
 * Adds the targets vals[0..OFFER_TARGET_KINDS) (a targets object's values)
 * to offer offer_id of store store_id, in the caller's transaction: never
 * twice; emails and identifiers of no user become pre-registered
 * participants. Targets that cannot be applied (unknown, on the store's
 * blocklist, of another market) are skipped and listed, as given, in
 * skipped under their field's name ({"user_ids": [12, 15]}).
 */
enum api_err offer_targets_apply(struct req *r, int64_t offer_id, int64_t store_id,
    const struct valid_value *vals, struct json_object *skipped);

/*
 * Reads the targets of the offers ids[0..n) into *by_offer, a new object
 * mapping each offer id (decimal text) to its targets object (the shape of
 * GET /v2/offers/{offer_id}/targets). Every id has a key.
 */
enum db_rc offer_targets_read(const int64_t *ids, size_t n, struct json_object **by_offer);

/*
 * Moves each row of rows (taken over) into the array of its "offer_id"
 * (the key removed) in by_offer, keyed by the id as decimal text.
 * API_SERVER out of memory.
 */
enum api_err offer_group_rows(struct json_object *rows, struct json_object *by_offer);

#endif
