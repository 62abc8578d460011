/*
 * target.h -- who a campaign is for.
 *
 * An offer's targets (offer_targets) name users directly or through what
 * they belong to: a user tag, a market (the store group of the user's
 * client), a client, a revenue tier, their e-mail address, one of their
 * social media identifiers. A user is targeted by an offer when any one
 * of its targets names them. A store's blocklist (the user, or one of
 * their tags) overrides every target: a blocked user is never targeted.
 * One definition, used by the token scope, the creator's campaign list
 * and the tests.
 */
#ifndef METAPIC_TARGET_H
#define METAPIC_TARGET_H

#include <stdint.h>

#include "db.h"

/*
 * Appends a SELECT of the ids of the offers that target user uid (one
 * column, offer_id; an id may come more than once), bound to uid: each
 * kind of target through its own index.
 */
void target_offer_ids(struct sql *q, int64_t uid);

/*
 * Appends " AND NOT EXISTS (...)": user uid is not on the blocklist of
 * the store whose id is the SQL expression store_col (program text, such
 * as "o.store_id"), neither themselves nor through one of their tags.
 */
void target_not_blocked(struct sql *q, const char *store_col, int64_t uid);

#endif
