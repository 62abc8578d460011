/*
 * affiliate_links.h -- what affiliate links offer the other handlers
 * (affiliate_links.c; return ads make their link through it).
 */
#ifndef METAPIC_AFFILIATE_LINKS_H
#define METAPIC_AFFILIATE_LINKS_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "../db.h"
#include "../http.h"

/*
 * The stores whose domains match the host of url[0..len) (the host or
 * one of its parent domains, a leading "www." ignored; through the index
 * of store_domains, never a scan), of market store_group_id (0: any), not
 * deleted, into *stores: a new array of {"id","name"} by id. An empty
 * array when none match (or the URL has no host).
 */
enum db_rc affiliate_match(const char *url, size_t len, int64_t store_group_id,
    struct json_object **stores);

/*
 * Inserts, in the caller's transaction, a link of user user_id to store
 * store_id (for campaign offer_id, 0: none) for url[0..len): url and
 * original_url both the given URL. *id the new link's id.
 */
enum db_rc affiliate_link_insert(int64_t user_id, int64_t store_id, int64_t offer_id,
    const char *url, size_t len, int64_t *id);

/*
 * Reads link id as the return ads' `affiliate_link` shows it: {"id",
 * "url","original_url","mtpc_url" ({short_link_base}/{id}),"user_id",
 * "country","provider","advertiser":{"id","name"}} into *out (a new
 * object); DB_OK with *out NULL when there is none.
 */
enum db_rc affiliate_link_read(struct req *r, int64_t id, struct json_object **out);

#endif
