/*
 * target.c -- who a campaign is for (see target.h).
 */
#include "config.h"

#include "target.h"

/*
 * One SELECT per kind of target, so that each reaches its rows through
 * the reverse index of offer_targets (idx_offer_targets_user, ...).
 */
static const char *const by_kind[] = {
	"SELECT t.offer_id FROM offer_targets t WHERE t.user_id = ?",
	"SELECT t.offer_id FROM user_tag_user x"
	" JOIN offer_targets t ON t.user_tag_id = x.user_tag_id WHERE x.user_id = ?",
	"SELECT t.offer_id FROM users u JOIN clients c ON c.id = u.client_id"
	" JOIN offer_targets t ON t.store_group_id = c.store_group_id WHERE u.id = ?",
	"SELECT t.offer_id FROM users u"
	" JOIN offer_targets t ON t.client_id = u.client_id WHERE u.id = ?",
	"SELECT t.offer_id FROM users u"
	" JOIN offer_targets t ON t.revenue_tier_id = u.revenue_tier_id WHERE u.id = ?",
	"SELECT t.offer_id FROM users u"
	" JOIN offer_targets t ON t.email = u.email WHERE u.id = ?",
	"SELECT t.offer_id FROM social_media_accounts a"
	" JOIN offer_targets t ON t.social_media_identifier = a.identifier"
	" WHERE a.user_id = ?",
};

void
target_offer_ids(struct sql *q, int64_t uid)
{
	for (size_t i = 0; i < sizeof(by_kind) / sizeof(by_kind[0]); i++) {
		if (i > 0)
			sql_add(q, " UNION ALL ");
		sql_int(q, by_kind[i], uid);
	}
}

/*
 * Two look-ups, each through a unique key of blocklist_entries ((store_id,
 * user_id) and (store_id, user_tag_id)): one NOT EXISTS with an IN
 * subquery inside was materialised from a scan of the whole table.
 */
void
target_not_blocked(struct sql *q, const char *store_col, int64_t uid)
{
	sql_add(q, " AND NOT EXISTS (SELECT 1 FROM blocklist_entries bl WHERE bl.store_id = ");
	sql_add(q, store_col);
	sql_int(q, " AND bl.user_id = ?)", uid);
	sql_add(q, " AND NOT EXISTS (SELECT 1 FROM user_tag_user bx JOIN blocklist_entries bt"
	    " ON bt.user_tag_id = bx.user_tag_id AND bt.store_id = ");
	sql_add(q, store_col);
	sql_int(q, " WHERE bx.user_id = ?)", uid);
}
