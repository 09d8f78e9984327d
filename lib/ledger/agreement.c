#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accord/agreement.h"
#include "accord/hours.h"
#include "encode.h"
#include "json.h"
#include "accord/timefmt.h"
#include "alloc.h"
#include "array.h"

static char *dup_or_null(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		accord_oom();
	return d;
}

static int64_t int_or(const cJSON *o, const char *key, int64_t dflt)
{
	int64_t v;

	return accord_json_int(&v, o, key) == 0 ? v : dflt;
}

/* The terms of a body (or of a saved record, which holds the body's fields and more). */
static accord_agreement *from_object(const cJSON *body)
{
	const cJSON *hours = cJSON_GetObjectItemCaseSensitive(body, "hours");
	const char *with = accord_json_str(body, "with");
	accord_agreement *a;

	if (!with || strlen(with) > 64)
		return NULL;
	if (!(a = calloc(1, sizeof(*a))))
		accord_oom();
	snprintf(a->provider, sizeof(a->provider), "%s", with);
	a->service = dup_or_null(accord_json_str(body, "service"));
	a->severity = int_or(body, "severity", 0);
	a->acknowledge_s = int_or(body, "acknowledge_s", 0);
	a->mitigate_s = int_or(body, "mitigate_s", 0);
	a->restore_s = int_or(body, "restore_s", 0);
	a->csat_target = int_or(body, "csat_target", -1);
	a->lost_minutes_target = int_or(body, "lost_minutes_target", -1);
	if (cJSON_IsObject(hours)) {
		a->week = dup_or_null(accord_json_str(hours, "week"));
		a->zone = dup_or_null(accord_json_str(hours, "zone"));
		a->tz = dup_or_null(accord_json_str(hours, "tz"));
		if (!a->week || !a->zone || !a->tz) {
			accord_agreement_free(a);
			return NULL;
		}
	}
	return a;
}

accord_agreement *accord_agreement_from_body(const cJSON *body)
{
	return from_object(body);
}

void accord_agreement_free(accord_agreement *a)
{
	if (!a)
		return;
	free(a->service);
	free(a->week);
	free(a->zone);
	free(a->tz);
	free(a->also);
	free(a);
}

int64_t accord_agreement_since(const accord_agreement *a)
{
	int64_t t = a->joint_at;
	size_t i;

	for (i = 0; i < a->also_count; i++)
		if (a->also[i].time < t)
			t = a->also[i].time;
	return t;
}

/* The body's own fields, as the entry states them. */
static cJSON *terms_json(const accord_agreement *a)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "with", a->provider);
	if (a->service)
		cJSON_AddStringToObject(o, "service", a->service);
	if (a->severity)
		cJSON_AddNumberToObject(o, "severity", (double)a->severity);
	cJSON_AddNumberToObject(o, "acknowledge_s", (double)a->acknowledge_s);
	cJSON_AddNumberToObject(o, "mitigate_s", (double)a->mitigate_s);
	cJSON_AddNumberToObject(o, "restore_s", (double)a->restore_s);
	if (a->week) {
		cJSON *h = cJSON_AddObjectToObject(o, "hours");

		cJSON_AddStringToObject(h, "week", a->week);
		cJSON_AddStringToObject(h, "zone", a->zone);
		cJSON_AddStringToObject(h, "tz", a->tz);
	}
	if (a->csat_target >= 0)
		cJSON_AddNumberToObject(o, "csat_target", (double)a->csat_target);
	if (a->lost_minutes_target >= 0)
		cJSON_AddNumberToObject(o, "lost_minutes_target", (double)a->lost_minutes_target);
	return o;
}

void accord_agreement_save(accord_buf *out, const accord_agreement *a)
{
	cJSON *o = terms_json(a);
	char *text;

	cJSON_AddStringToObject(o, "id", a->id);
	cJSON_AddStringToObject(o, "customer", a->customer);
	cJSON_AddNumberToObject(o, "customer_index", (double)a->customer_index);
	cJSON_AddNumberToObject(o, "provider_index", (double)a->provider_index);
	cJSON_AddNumberToObject(o, "proposed_at", (double)a->proposed_at);
	cJSON_AddStringToObject(o, "proposed_by", a->proposed_by);
	if (a->joint) {
		cJSON_AddNumberToObject(o, "joint_at", (double)a->joint_at);
		cJSON_AddStringToObject(o, "joint_id", a->joint_id);
		cJSON_AddStringToObject(o, "joint_key", a->joint_key);
		cJSON_AddNumberToObject(o, "joint_seq", (double)a->joint_seq);
		cJSON_AddNumberToObject(o, "joint_lamport", (double)a->joint_lamport);
	}
	if (a->also_count) {
		cJSON *also = cJSON_AddArrayToObject(o, "also");
		size_t i;

		for (i = 0; i < a->also_count; i++) {
			cJSON *c = cJSON_CreateObject();

			cJSON_AddStringToObject(c, "id", a->also[i].id);
			cJSON_AddStringToObject(c, "key", a->also[i].key);
			cJSON_AddNumberToObject(c, "seq", (double)a->also[i].seq);
			cJSON_AddNumberToObject(c, "lamport", (double)a->also[i].lamport);
			cJSON_AddNumberToObject(c, "time", (double)a->also[i].time);
			cJSON_AddItemToArray(also, c);
		}
	}
	if (a->withdrawn_by[0])
		cJSON_AddStringToObject(o, "withdrawn_by", a->withdrawn_by);
	if (!(text = cJSON_PrintUnformatted(o)))
		accord_oom();
	accord_buf_puts(out, text);
	cJSON_free(text);
	cJSON_Delete(o);
}

static int copy_hex(char *out, size_t len, const cJSON *o, const char *key)
{
	const char *s = accord_json_str(o, key);

	if (!s || strlen(s) != len - 1 || !accord_is_lower_hex(s, len - 1))
		return -1;
	memcpy(out, s, len);
	return 0;
}

accord_agreement *accord_agreement_load(const char *line)
{
	cJSON *o = NULL;
	accord_agreement *a = NULL;
	const char *customer;

	if (accord_json_parse_strict(&o, line, strlen(line), 1 << 16, 1) < 0 ||
	    !(a = from_object(o)))
		goto bad;
	customer = accord_json_str(o, "customer");
	if (!customer || strlen(customer) > 64 || copy_hex(a->id, sizeof(a->id), o, "id") < 0 ||
	    copy_hex(a->proposed_by, sizeof(a->proposed_by), o, "proposed_by") < 0)
		goto bad;
	snprintf(a->customer, sizeof(a->customer), "%s", customer);
	a->customer_index = int_or(o, "customer_index", -1);
	a->provider_index = int_or(o, "provider_index", -1);
	if (a->customer_index < 0 || a->provider_index < 0)
		goto bad;
	a->proposed_at = int_or(o, "proposed_at", 0);
	if (accord_json_str(o, "joint_id")) {
		a->joint = 1;
		a->joint_at = int_or(o, "joint_at", 0);
		a->joint_seq = int_or(o, "joint_seq", 0);
		a->joint_lamport = int_or(o, "joint_lamport", 0);
		if (copy_hex(a->joint_id, sizeof(a->joint_id), o, "joint_id") < 0 ||
		    copy_hex(a->joint_key, sizeof(a->joint_key), o, "joint_key") < 0)
			goto bad;
	}
	if (accord_json_str(o, "withdrawn_by") &&
	    copy_hex(a->withdrawn_by, sizeof(a->withdrawn_by), o, "withdrawn_by") < 0)
		goto bad;
	if (cJSON_GetObjectItemCaseSensitive(o, "also")) {
		const cJSON *also = cJSON_GetObjectItemCaseSensitive(o, "also"), *c;

		if (!a->joint || !cJSON_IsArray(also) || !cJSON_GetArraySize(also))
			goto bad;
		cJSON_ArrayForEach(c, also) {
			accord_agreement_cosign x = { 0 };

			if (copy_hex(x.id, sizeof(x.id), c, "id") < 0 ||
			    copy_hex(x.key, sizeof(x.key), c, "key") < 0 ||
			    accord_json_int(&x.seq, c, "seq") < 0 ||
			    accord_json_int(&x.lamport, c, "lamport") < 0 ||
			    accord_json_int(&x.time, c, "time") < 0)
				goto bad;
			ACCORD_PUSH(a->also, a->also_count, x);
		}
	}
	cJSON_Delete(o);
	return a;
bad:
	cJSON_Delete(o);
	accord_agreement_free(a);
	return NULL;
}

int accord_agreement_covers(const accord_agreement *a, const char *service, int64_t severity)
{
	return (!a->service || (service && !strcmp(a->service, service))) &&
	       (severity < 0 || !a->severity || a->severity == severity);
}

int accord_agreement_same_scope(const accord_agreement *a, const accord_agreement *b)
{
	return a->customer_index == b->customer_index && !strcmp(a->customer, b->customer) &&
	       !strcmp(a->provider, b->provider) && !a->service == !b->service &&
	       (!a->service || !strcmp(a->service, b->service)) && a->severity == b->severity;
}

int accord_agreement_later(const accord_agreement *a, const accord_agreement *b)
{
	int c;

	if (a->joint_lamport != b->joint_lamport)
		return a->joint_lamport > b->joint_lamport;
	if ((c = strcmp(a->joint_key, b->joint_key)) != 0)
		return c > 0;
	return a->joint_seq > b->joint_seq;
}

static int specificity(const accord_agreement *a)
{
	return (a->service ? 2 : 0) + (a->severity ? 1 : 0);
}

const accord_agreement *
accord_agreement_in_force(accord_agreement *const *all, size_t count, const char *customer,
			  const char *provider, const char *service, int64_t severity,
			  int (*follows)(const accord_agreement *a, void *payload), void *payload)
{
	const accord_agreement *best = NULL, *unseen = NULL;
	/* of each proposing party (by index), the terms in force; of namesakes, the stricter */
	struct {
		int64_t customer;
		const accord_agreement *a;
	} *own = accord_xcalloc(count + 1, sizeof(*own));
	size_t i, j, n = 0;

	for (i = 0; i < count; i++) {
		const accord_agreement *a = all[i];
		int f;

		if (!a->joint || (customer && strcmp(a->customer, customer) != 0) ||
		    (provider && strcmp(a->provider, provider) != 0) ||
		    !accord_agreement_covers(a, service, severity))
			continue;
		f = follows ? follows(a, payload) : 1;
		if (f == 2 && (!unseen || specificity(a) > specificity(unseen) ||
			       (specificity(a) == specificity(unseen) &&
				accord_agreement_stricter(a, unseen) == a)))
			unseen = a;
		if (f != 1)
			continue;
		for (j = 0; j < n && own[j].customer != a->customer_index; j++)
			;
		if (j == n) {
			own[n].customer = a->customer_index;
			own[n++].a = a;
		} else if (specificity(a) > specificity(own[j].a) ||
			   (specificity(a) == specificity(own[j].a) &&
			    accord_agreement_later(a, own[j].a))) {
			own[j].a = a;
		}
	}
	/*
	 * A party that shares a name with the customer (a provider's idle
	 * device can invite one) never makes the terms laxer for it: of the
	 * namesakes' terms in force, the stricter holds.
	 */
	for (j = 0; j < n; j++)
		best = best ? accord_agreement_stricter(best, own[j].a) : own[j].a;
	free(own);
	return best ? best : unseen;
}

cJSON *accord_agreement_to_json(const accord_agreement *a)
{
	cJSON *o = terms_json(a), *terms = cJSON_CreateObject();

	/* the body's names, plus who and when, with the parties' roles spelled out */
	cJSON_AddItemToObject(terms, "id", cJSON_CreateString(a->id));
	cJSON_AddStringToObject(terms, "customer", a->customer);
	cJSON_AddStringToObject(terms, "provider", a->provider);
	if (a->service)
		cJSON_AddStringToObject(terms, "service", a->service);
	else
		cJSON_AddNullToObject(terms, "service");
	if (a->severity)
		cJSON_AddNumberToObject(terms, "severity", (double)a->severity);
	else
		cJSON_AddNullToObject(terms, "severity");
	cJSON_AddNumberToObject(terms, "acknowledge_s", (double)a->acknowledge_s);
	cJSON_AddNumberToObject(terms, "mitigate_s", (double)a->mitigate_s);
	cJSON_AddNumberToObject(terms, "restore_s", (double)a->restore_s);
	if (a->week) {
		cJSON_AddItemToObject(terms, "hours",
				      cJSON_DetachItemFromObjectCaseSensitive(o, "hours"));
	} else {
		cJSON_AddNullToObject(terms, "hours");
	}
	if (a->csat_target >= 0)
		cJSON_AddNumberToObject(terms, "csat_target", (double)a->csat_target);
	else
		cJSON_AddNullToObject(terms, "csat_target");
	if (a->lost_minutes_target >= 0)
		cJSON_AddNumberToObject(terms, "lost_minutes_target",
					(double)a->lost_minutes_target);
	else
		cJSON_AddNullToObject(terms, "lost_minutes_target");
	accord_json_add_time(terms, "proposed_at", a->proposed_at);
	if (a->joint) {
		accord_json_add_time(terms, "joint_at", accord_agreement_since(a));
		cJSON_AddStringToObject(terms, "cosigned_by", a->joint_id);
	} else {
		cJSON_AddNullToObject(terms, "joint_at");
		cJSON_AddNullToObject(terms, "cosigned_by");
	}
	cJSON_Delete(o);
	return terms;
}

void accord_agreement_hours(accord_hours *h, const accord_agreement *a)
{
	memset(h, 0, sizeof(*h));
	/* an agreement's hours were checked when it counted (lib/ledger/party_agreement.c) */
	h->always = !(a && a->week && accord_hours_parse_week(h, a->week) == 0 &&
		      accord_tzrule_parse(&h->tz, a->tz) == 0);
}

/* What `seconds` of the terms' clock allow in wall-clock time at worst. */
static int64_t worst_wall(const accord_agreement *a, int64_t seconds)
{
	accord_hours h;

	accord_agreement_hours(&h, a);
	return accord_hours_worst_wall(&h, seconds);
}

const accord_agreement *accord_agreement_stricter(const accord_agreement *a,
						  const accord_agreement *b)
{
	int64_t x, y;

	if (!a || !b)
		return a ? a : b;
	if ((x = worst_wall(a, a->restore_s)) != (y = worst_wall(b, b->restore_s)) ||
	    (x = worst_wall(a, a->mitigate_s)) != (y = worst_wall(b, b->mitigate_s)) ||
	    (x = worst_wall(a, a->acknowledge_s)) != (y = worst_wall(b, b->acknowledge_s)))
		return x < y ? a : b;
	return accord_agreement_later(a, b) ? b : a;
}
