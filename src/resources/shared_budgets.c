/*
 * shared_budgets.c -- budgets several campaigns of one store draw from:
 *   GET       /v2/stores/{store_id}/shared-budgets       (a bare array)
 *   GET       /v2/stores/{store_id}/shared-budgets/{id}
 *   PUT|PATCH /v2/stores/{store_id}/shared-budgets/{id}  (absent fields kept)
 *   DELETE    /v2/stores/{store_id}/shared-budgets/{id}  (not while an
 *                                                          active campaign
 *                                                          draws from it)
 * Admins and members of that store (the route scopes: a budget of another
 * store through this store's path does not exist). Budgets are created with
 * a campaign.
 */
#include "config.h"

#include "../tx.h"
#include "resources.h"

/*
 * One budget as the reference shows it. amount and consumed_budget
 * (resources.h) are in minor units of the store's currency.
 */
#define BUDGET_SELECT \
	"SELECT b.id, b.title, b.amount, " SHARED_BUDGET_CONSUMED_SQL \
	" AS consumed_budget, s.currency" \
	" FROM shared_budgets b JOIN stores s ON s.id = b.store_id WHERE b.store_id = ?"

static const char budgets_sql[] = BUDGET_SELECT " ORDER BY b.id";
static const char budget_sql[] = BUDGET_SELECT " AND b.id = ?";

/*
 * Reads budget id of store store_id into *out (a new object the caller
 * owns). DB_OK with *out NULL when there is no such budget.
 */
static enum db_rc
read_budget(int64_t store_id, int64_t id, struct json_object **out)
{
	struct db_param p[] = { DB_INT(store_id), DB_INT(id) };
	struct json_object *rows = NULL;
	enum db_rc rc;

	*out = NULL;
	if ((rc = db_select(budget_sql, p, 2, &rows)) != DB_OK)
		return rc;
	if (json_object_array_length(rows) > 0)
		*out = json_object_get(json_object_array_get_idx(rows, 0));
	json_object_put(rows);
	return DB_OK;
}

/* ---------------------------------------------------------------- */

static enum api_err
budgets_list(struct req *r)
{
	struct db_param p[] = { DB_INT(r->scope.store_id) };
	struct json_object *rows = NULL;
	enum db_rc rc;

	if ((rc = db_select(budgets_sql, p, 1, &rows)) != DB_OK)
		return db_api_err(rc);
	http_set_json(r, 200, rows);
	return API_OK;
}

const struct handler h_shared_budgets_list = HANDLER_NO_INPUT(budgets_list);

static enum api_err
budgets_show(struct req *r)
{
	struct json_object *b = NULL;
	enum db_rc rc;

	if ((rc = read_budget(r->scope.store_id, r->scope.id, &b)) != DB_OK)
		return db_api_err(rc);
	if (b == NULL)		/* deleted since the scope found it */
		return API_NOT_FOUND;
	http_set_json(r, 200, b);
	return API_OK;
}

const struct handler h_shared_budgets_show = HANDLER_NO_INPUT(budgets_show);

/* ---------------------------------------------------------------- */

enum { U_TITLE, U_AMOUNT };

/*
 * Both optional (absent: unchanged). V_NULLABLE only to see a null: the
 * columns are not nullable, and Laravel's `sometimes|string` and
 * `sometimes|integer` refuse a null that is given, with the type's
 * message (budgets_update).
 */
static const struct valid_field update_fields[] = {
	[U_TITLE] = { .name = "title", .type = &valid_string, .flags = V_NULLABLE | V_MAX,
	    .max = 255 },
	[U_AMOUNT] = { .name = "amount", .type = &valid_money, .flags = V_NULLABLE },
};

/* The message of a given null, per field, in the table's order. */
static const char *const null_messages[] = {
	[U_TITLE] = "The title field must be a string.",
	[U_AMOUNT] = "The amount field must be an integer.",
};

struct update_ctx {
	int64_t store_id, id;
	const struct valid_value *title, *amount;
};

/*
 * The write of PUT/PATCH: sets the given columns (running it twice sets
 * them twice), then reads the answer in the transaction. updated_at moves
 * only when a value changed (ON UPDATE CURRENT_TIMESTAMP), as Eloquent
 * saves only dirty attributes.
 */
static enum api_err
update_budget(struct req *r, void *arg)
{
	struct update_ctx *c = arg;
	struct sql q = { 0 };
	struct json_object *b = NULL;
	enum db_rc rc = DB_OK;

	if (c->title->present || c->amount->present) {
		sql_add(&q, "UPDATE shared_budgets SET ");
		if (c->title->present)
			sql_str(&q, "title = ?", c->title->s, c->title->len);
		if (c->amount->present)
			sql_int(&q, c->title->present ? ", amount = ?" : "amount = ?",
			    c->amount->i);
		sql_int(&q, " WHERE id = ?", c->id);
		sql_int(&q, " AND store_id = ?", c->store_id);
		rc = db_exec_sql(&q, NULL, NULL);
	}
	if (rc == DB_OK)
		rc = read_budget(c->store_id, c->id, &b);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (b == NULL)
		return API_NOT_FOUND;
	http_set_json(r, 200, b);
	return API_OK;
}

static enum api_err
budgets_update(struct req *r)
{
	struct update_ctx ctx = { r->scope.store_id, r->scope.id, &r->vals[U_TITLE],
	    &r->vals[U_AMOUNT] };
	bool refused = false;

	for (size_t i = 0; i < VALID_COUNT(update_fields); i++)
		if (r->vals[i].state == V_NULL) {
			http_validation_error(r, update_fields[i].name, "%s", null_messages[i]);
			refused = true;
		}
	if (refused)
		return API_VALIDATION;
	return tx_run(r, TX_RERUN_SAFE, update_budget, &ctx);
}

const struct handler h_shared_budgets_update = HANDLER(budgets_update, update_fields);

/* ---------------------------------------------------------------- */

/* Campaigns whose derived status is active (sql/README) drawing from it. */
static const char in_use_sql[] =
    "SELECT COUNT(*) FROM offers o WHERE o.shared_budget_id = ?"
    " AND o.deleted_at IS NULL AND o.paused_at IS NULL"
    " AND (o.valid_from IS NULL OR o.valid_from <= UTC_TIMESTAMP())"
    " AND (o.valid_until IS NULL OR o.valid_until >= UTC_TIMESTAMP())";

struct remove_ctx {
	int64_t store_id, id;
	bool removed;	/* an earlier run of this request removed it */
};

/*
 * The write of DELETE. The budget's row is locked first: a campaign being
 * given this budget meanwhile waits on it (its foreign key check), so no
 * active campaign can start drawing from a budget between the check and
 * the delete. Campaigns that are not active lose the link (ON DELETE SET
 * NULL). Run again after a COMMIT whose outcome was unknown, finding
 * nothing means the first run removed it.
 */
static enum api_err
remove_budget(struct req *r, void *arg)
{
	struct remove_ctx *c = arg;
	struct db_param p[] = { DB_INT(c->id), DB_INT(c->store_id) };
	int64_t n = 0;
	bool found = false;
	enum db_rc rc;

	rc = db_select_int("SELECT id FROM shared_budgets WHERE id = ? AND store_id = ?"
	    " FOR UPDATE", p, 2, &n, &found);
	if (rc != DB_OK)
		return db_api_err(rc);
	if (!found) {
		if (!c->removed)
			return API_NOT_FOUND;
		http_set_json(r, 204, NULL);
		return API_OK;
	}
	if ((rc = db_select_int(in_use_sql, p, 1, &n, &found)) != DB_OK)
		return db_api_err(rc);
	if (n > 0) {
		http_validation_error(r, "id", "The shared budget is in use by an active campaign.");
		return API_VALIDATION;
	}
	rc = db_exec("DELETE FROM shared_budgets WHERE id = ? AND store_id = ?", p, 2, NULL, NULL);
	if (rc != DB_OK)
		return db_api_err(rc);
	c->removed = true;
	http_set_json(r, 204, NULL);
	return API_OK;
}

static enum api_err
budgets_remove(struct req *r)
{
	struct remove_ctx ctx = { r->scope.store_id, r->scope.id, false };

	return tx_run(r, TX_RERUN_SAFE, remove_budget, &ctx);
}

const struct handler h_shared_budgets_remove = HANDLER_NO_INPUT(budgets_remove);
