/* accord show: one incident, as its signed entries derive it (list.c, log.c read the rest). */
#include <stdlib.h>
#include <string.h>

#include "accord/idmap.h"

#include "cmd.h"

static const char show_usage[] =
	"usage: accord show ID [--json]\n\nShow incident ID: state, impact, SLA, feedback and timeline.\n";

static const struct option json_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void cmd_author_label(char *out, size_t len, accord_ctx *ctx, const accord_entry *e)
{
	accord_parties_label(out, len, accord_ledger_parties(ctx->ledger), e->author.id);
}

/*
 * The key id of a public key an entry names in its body (64 hex digits),
 * which is how member list, audit and the feed refs name keys; never a
 * prefix of the raw public key, which would look like a key id but isn't.
 */
static const char *body_key_id(char out[ACCORD_KEYID_HEXLEN + 1], const accord_entry *e)
{
	accord_pubkey pub;
	const char *hex = accord_entry_str(e, "key");

	memset(&pub, 0, sizeof(pub));
	if (!hex || accord_hex_decode(pub.pk, sizeof(pub.pk), hex) < 0)
		return "?";
	accord_pubkey_set_id(&pub);
	memcpy(out, pub.id, ACCORD_KEYID_HEXLEN + 1);
	return out;
}

/* ", a hardware key" when a membership entry names an sk-ssh-ed25519 key. */
static const char *hardware(const accord_entry *e)
{
	return accord_entry_str(e, "key_type") ? ", a hardware key" : "";
}

static void amend_summary(accord_buf *out, const accord_entry *e)
{
	const char *s, *sep = "amends ";

	if (cJSON_GetObjectItemCaseSensitive(e->body, "severity")) {
		accord_buf_printf(out, "%sseverity to %lld", sep,
				  (long long)accord_entry_int(e, "severity", 0));
		sep = ", ";
	}
	if ((s = accord_entry_str(e, "title"))) {
		accord_buf_printf(out, "%stitle to \"%s\"", sep, s);
		sep = ", ";
	}
	if ((s = accord_entry_str(e, "service")))
		accord_buf_printf(out, "%sservice to %s", sep, s);
	if ((s = accord_entry_str(e, "reason")))
		accord_buf_printf(out, ": %s", s);
}

/* A status entry: the status, whose clock a pause leaves running, its note. */
static void status_summary(accord_buf *out, const accord_entry *e)
{
	const char *s;

	accord_buf_puts(out, accord_entry_str(e, "status"));
	/* a pause says whose clock it leaves running: the point of the argument */
	if ((s = accord_entry_str(e, "on")))
		accord_buf_printf(out, " on %s", s);
	if ((s = accord_entry_str(e, "note")))
		accord_buf_printf(out, ": %s", s);
}

/* An impact entry: how many customers, from when to when. */
static void impact_summary(accord_buf *out, const accord_entry *e)
{
	long long n = (long long)accord_entry_int(e, "customers", 0);
	const char *s;

	accord_buf_printf(out, "%lld %s from %s", n, accord_plural(n, "customer", "customers"),
			  accord_entry_str(e, "start"));
	if ((s = accord_entry_str(e, "end")))
		accord_buf_printf(out, " to %s", s);
}

/* An sla entry: its name, target and actual durations. */
static void sla_summary(accord_buf *out, const accord_entry *e)
{
	char t[32], a[32];

	accord_duration_format(t, sizeof(t), accord_entry_int(e, "target_s", 0));
	accord_duration_format(a, sizeof(a), accord_entry_int(e, "actual_s", 0));
	accord_buf_printf(out, "%s: target %s, actual %s", accord_entry_str(e, "name"), t, a);
}

/* A feedback entry: the score, the minutes lost, the comment. */
static void feedback_summary(accord_buf *out, const accord_entry *e)
{
	const char *s;

	accord_buf_printf(out, "score %lld/5", (long long)accord_entry_int(e, "score", 0));
	long long lost = (long long)accord_entry_int(e, "lost_minutes", -1);

	if (lost >= 0)
		accord_buf_printf(out, ", %lld %s lost", lost,
				  accord_plural(lost, "minute", "minutes"));
	if ((s = accord_entry_str(e, "comment")))
		accord_buf_printf(out, ": %s", s);
}

/* A dispute entry: the entry whose time it disputes, by when it existed, the evidence. */
static void dispute_summary(accord_buf *out, const accord_entry *e)
{
	accord_buf_printf(out, "disputes the time of %.12s: it existed by %s%s%.12s%s: %s",
			  accord_entry_str(e, "entry"), accord_entry_str(e, "at"),
			  accord_entry_str(e, "evidence") ? " (evidence " : "",
			  accord_entry_str(e, "evidence") ? accord_entry_str(e, "evidence") : "",
			  accord_entry_str(e, "evidence") ? ")" : "",
			  accord_entry_str(e, "reason"));
}

/* An agreement proposal: its party and its three targets. */
static void agreement_summary(accord_buf *out, const accord_entry *e)
{
	char d[3][32];

	accord_duration_format(d[0], sizeof(d[0]), accord_entry_int(e, "acknowledge_s", 0));
	accord_duration_format(d[1], sizeof(d[1]), accord_entry_int(e, "mitigate_s", 0));
	accord_duration_format(d[2], sizeof(d[2]), accord_entry_int(e, "restore_s", 0));
	accord_buf_printf(
		out, "proposes agreement %.12s with %s: acknowledge %s, mitigate %s, restore %s",
		e->id, accord_entry_str(e, "with"), d[0], d[1], d[2]);
}

/* A checkpoint: how many feed heads it witnessed, after syncing with which remote. */
static void checkpoint_summary(accord_buf *out, const accord_entry *e)
{
	const cJSON *heads = cJSON_GetObjectItemCaseSensitive(e->body, "heads");
	const char *remote = accord_entry_str(e, "remote");
	int n = cJSON_GetArraySize(heads);

	accord_buf_printf(out, "witnessed %d feed %s%s%s", n, accord_plural(n, "head", "heads"),
			  remote ? " after syncing with " : "", remote ? remote : "");
}

/* An action entry: its number, state, owner, link, due date and note. */
static void action_summary(accord_buf *out, const accord_entry *e)
{
	const char *s, *sep = " ";

	accord_buf_printf(out, "action %lld: %s", (long long)accord_entry_int(e, "action", 0),
			  accord_entry_str(e, "state"));
	if ((s = accord_entry_str(e, "owner")))
		accord_buf_printf(out, "%sowner %s", sep, s), sep = ", ";
	if ((s = accord_entry_str(e, "link")))
		accord_buf_printf(out, "%slink %s", sep, s), sep = ", ";
	if ((s = accord_entry_str(e, "due")))
		accord_buf_printf(out, "%sdue %s", sep, s);
	if ((s = accord_entry_str(e, "note")))
		accord_buf_printf(out, ": %s", s);
}

/* One line saying what an entry did, for log and the timeline. */
void cmd_entry_summary(accord_buf *out, const accord_entry *e)
{
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	const char *s;

	if (!strcmp(e->type, "open")) {
		accord_buf_printf(out, "SEV%lld %s: %s",
				  (long long)accord_entry_int(e, "severity", 0),
				  accord_entry_str(e, "service"), accord_entry_str(e, "title"));
	} else if (!strcmp(e->type, "note")) {
		accord_buf_puts(out, accord_entry_str(e, "text"));
	} else if (!strcmp(e->type, "status")) {
		status_summary(out, e);
	} else if (!strcmp(e->type, "impact")) {
		impact_summary(out, e);
	} else if (!strcmp(e->type, "sla")) {
		sla_summary(out, e);
	} else if (!strcmp(e->type, "feedback")) {
		feedback_summary(out, e);
	} else if (!strcmp(e->type, "genesis")) {
		accord_buf_printf(out, "ledger founded by party %s%s", accord_entry_str(e, "party"),
				  accord_entry_str(e, "key_type") ? ", with a hardware key" : "");
	} else if (!strcmp(e->type, "party-invite")) {
		accord_buf_printf(out, "invites party %s (root key %.12s%s)",
				  accord_entry_str(e, "party"), body_key_id(keyid, e), hardware(e));
	} else if (!strcmp(e->type, "party-accept")) {
		accord_buf_printf(out, "party %s joins", accord_entry_str(e, "party"));
	} else if (!strcmp(e->type, "member-add")) {
		accord_buf_printf(out, "adds member %s (key %.12s%s)",
				  accord_entry_str(e, "member"), body_key_id(keyid, e),
				  hardware(e));
	} else if (!strcmp(e->type, "member-revoke")) {
		accord_buf_printf(out, "revokes key %.12s", body_key_id(keyid, e));
		if ((s = accord_entry_str(e, "reason")))
			accord_buf_printf(out, ": %s", s);
	} else if (!strcmp(e->type, "key-rotate")) {
		accord_buf_printf(out, "rotates its key to %.12s%s (this key is retired here)",
				  body_key_id(keyid, e), hardware(e));
	} else if (!strcmp(e->type, "involve")) {
		accord_buf_printf(out, "involves %s", accord_entry_str(e, "party"));
	} else if (!strcmp(e->type, "resolution")) {
		accord_buf_printf(out, "proposes resolution %.12s: %s", e->id,
				  accord_entry_str(e, "summary"));
	} else if (!strcmp(e->type, "cosign")) {
		accord_buf_printf(out, "co-signs %.12s", accord_entry_str(e, "proposal"));
	} else if (!strcmp(e->type, "ticket")) {
		accord_buf_printf(out, "ticket %s:%s", accord_entry_str(e, "party"),
				  accord_entry_str(e, "id"));
	} else if (!strcmp(e->type, "amend")) {
		amend_summary(out, e);
	} else if (!strcmp(e->type, "retract")) {
		accord_buf_printf(out, "retracts %.12s: %s", accord_entry_str(e, "entry"),
				  accord_entry_str(e, "reason"));
	} else if (!strcmp(e->type, "dispute")) {
		dispute_summary(out, e);
	} else if (!strcmp(e->type, "void")) {
		accord_buf_printf(out, "proposes void %.12s: %s", e->id,
				  accord_entry_str(e, "reason"));
	} else if (!strcmp(e->type, "duplicate")) {
		accord_buf_printf(out, "proposes duplicate %.12s of %.12s", e->id,
				  accord_entry_str(e, "of"));
	} else if (!strcmp(e->type, "agreement")) {
		agreement_summary(out, e);
	} else if (!strcmp(e->type, "checkpoint")) {
		checkpoint_summary(out, e);
	} else if (!strcmp(e->type, "action")) {
		action_summary(out, e);
	} else if (!e->known) {
		/* verified and counted, but written by a newer accord: its body is not ours to read */
		accord_buf_printf(out, "needs a newer accord (type %s)", e->type);
	}
	/* Keep each item on one line. */
	for (size_t i = 0; i < out->size; i++)
		if (out->ptr[i] == '\n' || out->ptr[i] == '\t')
			out->ptr[i] = ' ';
}

int cmd_parse_json_flag(accord_ctx *ctx, int argc, char **argv, const char *usage, int *json)
{
	int c;

	while ((c = cmd_getopt(ctx, argc, argv, json_opts)) != -1) {
		switch (c) {
		case 'j': *json = 1; break;
		case 'h': fputs(usage, stdout); return -1;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	return 0;
}

static void print_list(const char *label, const cJSON *arr)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, arr)
		printf("    %-15s %s\n", item == arr->child ? label : "",
		       cmd_esc_block(item->valuestring, 20));
}

static void print_resolution(accord_ctx *ctx, const accord_incident *inc)
{
	const accord_resolution *r = inc->resolution;
	const cJSON *body = r->entry->body;
	const char **waiting;
	char t[ACCORD_TIME_LEN];
	size_t i, n;
	int64_t now = accord_time_now();

	printf("  resolution        %.12s, revision %d: %s%s%s", r->entry->id, r->revision,
	       cmd_sgr(r->joint ? SGR_GREEN : SGR_YELLOW),
	       r->joint	     ? "JOINT"
	       : r->reopened ? "joint, then reopened (a new proposal closes it again)"
			     : "proposed",
	       cmd_sgr(SGR_RESET));
	if (inc->kept_joint_revision)
		printf(" (revision %d is joint and counts until this one is)",
		       inc->kept_joint_revision);
	printf("\n");
	printf("    %-15s %s\n", "summary", cmd_esc_block(accord_json_str(body, "summary"), 20));
	print_list("factor", cJSON_GetObjectItemCaseSensitive(body, "factors"));
	print_list("went well", cJSON_GetObjectItemCaseSensitive(body, "went_well"));
	print_list("went wrong", cJSON_GetObjectItemCaseSensitive(body, "went_wrong"));
	print_list("lucky", cJSON_GetObjectItemCaseSensitive(body, "lucky"));
	for (i = 0; i < r->action_count; i++) {
		const accord_action *a = &r->actions[i];
		const cJSON *o;

		printf("    %-15s %zu. %s [%s] %s (", i ? "" : "actions", i + 1, a->id,
		       accord_action_state_name(a->state), cmd_esc_block(a->text, 20));
		cJSON_ArrayForEach(o, a->owners)
			printf("%s%s", o == a->owners->child ? "" : ", ",
			       cmd_esc(o->valuestring, 0));
		printf(")%s%s%s\n", a->due ? " due " : "", a->due ? cmd_esc(a->due, 0) : "",
		       accord_action_overdue(a, now) ? " OVERDUE" : "");
		if (a->owner)
			printf("    %-15s    owner %s\n", "", cmd_esc(a->owner, 0));
		if (a->link)
			printf("    %-15s    link %s\n", "", cmd_esc(a->link, 0));
		if (a->note)
			printf("    %-15s    note %s\n", "", cmd_esc_block(a->note, 27));
	}
	for (i = 0; i < r->signature_count; i++) {
		accord_time_format(t, r->signatures[i].entry->time);
		printf("    %-15s %s for %s, %s\n", i ? "" : "signed by",
		       cmd_esc(r->signatures[i].member->key.name, 0),
		       cmd_esc(r->signatures[i].party, 0), t);
	}
	waiting = accord_incident_waiting(inc, &n);
	for (i = 0; i < n; i++)
		printf("    %-15s %s\n", i ? "" : "waiting for", cmd_esc(waiting[i], 0));
	free(waiting);
	(void)ctx;
}

/* "severity  2 (was 1: amended by alice@acme, 2026-11-20T10:00:00Z)": the value and its history. */
static void print_amendments(accord_ctx *ctx, const accord_incident *inc)
{
	char t[ACCORD_TIME_LEN], who[80];
	size_t i;

	for (i = 0; i < inc->amendment_count; i++) {
		const accord_amendment *a = &inc->amendments[i];

		accord_time_format(t, a->entry->time);
		cmd_author_label(who, sizeof(who), ctx, a->entry);
		if (a->text)
			printf("  %-17s %s set to %s by %s, %s\n", i ? "" : "amended", a->field,
			       cmd_esc(a->text, 0), cmd_esc(who, 0), t);
		else
			printf("  %-17s %s set to %lld by %s, %s\n", i ? "" : "amended", a->field,
			       (long long)a->number, cmd_esc(who, 0), t);
	}
}

static void print_tickets(const accord_incident *inc)
{
	size_t i;

	for (i = 0; i < inc->ticket_count; i++)
		printf("  %-17s %s:%s, named by %s\n", i ? "" : "tickets",
		       cmd_esc(inc->tickets[i].party, 0), cmd_esc(inc->tickets[i].id, 0),
		       cmd_esc(inc->tickets[i].named_by ? inc->tickets[i].named_by : "?", 0));
}

static const char *figure_word(const accord_impact *w)
{
	switch (w->state) {
	case ACCORD_FIGURE_JOINT: return "joint";
	case ACCORD_FIGURE_UNCONFIRMED:
		return w->clipped ? "unconfirmed, outside the joint figures' time" : "unconfirmed";
	case ACCORD_FIGURE_OWN:
		return w->clipped ? "counts outside the joint figures' time" : "counts";
	default: return w->aside;
	}
}

static void print_window(const accord_impact *w, int first)
{
	char t[ACCORD_TIME_LEN], t2[ACCORD_TIME_LEN];

	accord_time_format(t, w->start);
	printf("  %-17s %s: %lld %s, ", first ? "impact" : "",
	       cmd_esc(w->party ? w->party : "?", 0), (long long)w->customers,
	       accord_plural(w->customers, "customer", "customers"));
	if (w->has_end) {
		accord_time_format(t2, w->end);
		printf("%s to %s (%lld min)", t, t2, (long long)((w->end - w->start) / 60));
	} else {
		printf("since %s (ongoing)", t);
	}
	printf(" [%s]%s%s%s\n", cmd_esc(figure_word(w), 0), w->disputed ? cmd_sgr(SGR_YELLOW) : "",
	       w->disputed ? " DISPUTED" : "", w->disputed ? cmd_sgr(SGR_RESET) : "");
}

static void print_impact(const accord_incident *inc)
{
	int64_t now = accord_time_now(), cs;
	int running = 0;
	double cm;
	size_t i;

	for (i = 0; i < inc->figure_count; i++)
		print_window(&inc->figures[i], i == 0);
	/* the same figure as list --json and report (docs/metrics.md) */
	cs = accord_incident_customer_seconds(inc, now, &running);
	cm = accord_customer_minutes(cs);
	printf("  %-17s %s%.*f%s%s%s\n", "customer-minutes",
	       accord_saturated(cs) ? "at least " : "", cm == (double)(int64_t)cm ? 0 : 1, cm,
	       running ? " so far (running: an impact window is still open)" : "",
	       inc->unconfirmed ? " (unconfirmed: not the customer-facing party's figures)" : "",
	       inc->disputed ? " (disputed: see impact)" : "");
}

static void print_feedback(const accord_feedback *f, int first, const char *why_not)
{
	printf("  %-17s score %lld/5", first ? "feedback" : "", (long long)f->score);
	if (f->lost_minutes >= 0)
		printf(", %lld %s lost", (long long)f->lost_minutes,
		       accord_plural(f->lost_minutes, "minute", "minutes"));
	if (f->indicators) {
		const cJSON *w;
		int n = 0;

		printf(" (");
		cJSON_ArrayForEach(w, f->indicators)
			printf("%s%s", n++ ? ", " : "",
			       cJSON_IsString(w) ? cmd_esc(w->valuestring, 0) : "?");
		printf(")");
	}
	if (f->comment)
		printf(": %s", cmd_esc_block(f->comment, 20));
	if (why_not)
		printf(" [%s: not counted, %s]", cmd_esc(f->party ? f->party : "?", 0), why_not);
	printf("\n");
}

static void print_sla_feedback(const accord_incident *inc)
{
	size_t i;

	for (i = 0; i < inc->sla_count; i++) {
		char a[32], b[32];

		accord_duration_format(a, sizeof(a), inc->sla[i].target);
		accord_duration_format(b, sizeof(b), inc->sla[i].actual);
		printf("  %-17s %s (%s): target %s, actual %s, %s%s%s\n", i ? "" : "sla",
		       cmd_esc(inc->sla[i].name, 0),
		       cmd_esc(inc->sla[i].party ? inc->sla[i].party : "?", 0), a, b,
		       cmd_sgr(inc->sla[i].met ? SGR_GREEN : SGR_RED),
		       inc->sla[i].met ? "met" : "MISSED", cmd_sgr(SGR_RESET));
	}
	for (i = 0; i < inc->feedback_count; i++)
		print_feedback(&inc->feedback[i], i == 0, NULL);
	for (i = 0; i < inc->feedback_refused_count; i++)
		print_feedback(&inc->feedback_refused[i], inc->feedback_count == 0 && i == 0,
			       "feedback is the customer-facing party's to record");
}

static void print_closures(const accord_incident *inc)
{
	size_t i, j;

	for (i = 0; i < inc->closure_count; i++) {
		const accord_closure *c = &inc->closures[i];
		const accord_mark *m = accord_incident_mark(inc, c->entry);
		const char *state = "waiting for every party", *why = "";

		if (c->retracted) {
			state = "retracted";
		} else if (c->joint && inc->closed_as == c) {
			state = "JOINT, in effect";
		} else if (c->joint) {
			/* every party signed, yet a duplicate of a void, or in a cycle, has no effect */
			state = "JOINT, ";
			why = m && !strncmp(m->mark, "no effect", 9) ? m->mark : "no effect";
		}
		printf("  %-17s %.12s %s%s%.12s: %s%s, signed for", i ? "" : "proposed",
		       c->entry->id, c->kind, c->of ? " of " : "", c->of ? c->of : "", state,
		       cmd_esc(why, 0));
		for (j = 0; j < c->signed_count; j++)
			printf("%s%s", j ? ", " : " ", cmd_esc(c->signed_by[j], 0));
		printf("\n");
	}
}

/* The dispute in effect of `e`'s time (the last not retracted), or NULL. */
static const accord_dispute *time_dispute(const accord_incident *inc, const accord_entry *e)
{
	size_t i;

	for (i = inc->dispute_count; i-- > 0;)
		if (inc->disputes[i].target == e && !inc->disputes[i].retracted)
			return &inc->disputes[i];
	return NULL;
}

/*
 * After a timeline line: its signed time is disputed, or was and the
 * signer accepted the other; then the line carries (and the timeline is
 * sorted by, lib/ledger/incident.c) the agreed time, and this names the signed one.
 */
static void print_time_dispute(const accord_dispute *d)
{
	char t[ACCORD_TIME_LEN];

	if (!d)
		return;
	if (d->accepted_by) {
		accord_time_format(t, d->target->time);
		printf(" [time settled: %s accepted %s's time; it signed %s]",
		       cmd_esc(d->target_party ? d->target_party : "?", 0), cmd_esc(d->by, 0), t);
	} else {
		accord_time_format(t, d->at);
		printf(" [time DISPUTED by %s: it existed by %s, dispute %.12s]", cmd_esc(d->by, 0),
		       t, d->entry->id);
	}
}

static void print_timeline(accord_ctx *ctx, const accord_incident *inc)
{
	char t[ACCORD_TIME_LEN], who[80];
	size_t i;

	printf("  timeline\n");
	for (i = 0; i < inc->timeline_count; i++) {
		const accord_entry *e = inc->timeline[i];
		const accord_mark *m = accord_incident_mark(inc, e);
		const accord_dispute *d = time_dispute(inc, e);
		accord_buf line = ACCORD_BUF_INIT;

		accord_time_format(t, d && d->accepted_by ? d->at : e->time);
		cmd_author_label(who, sizeof(who), ctx, e);
		cmd_entry_summary(&line, e);
		/* one line per entry: a note's newlines are shown, not obeyed */
		printf("    %s  %-13s %-20s %s%s%s%s", t, cmd_esc(e->type, 0), cmd_esc(who, 0),
		       cmd_esc(line.ptr, 0), m ? " [" : "", m ? cmd_esc(m->mark, 0) : "",
		       m ? "]" : "");
		print_time_dispute(d);
		printf("\n");
		accord_buf_dispose(&line);
	}
}

/* The clocks: per provider, each against the agreement in force, with what the party reported. */
static void print_clocks(const accord_clocks *c)
{
	char t1[ACCORD_TIME_LEN], t2[ACCORD_TIME_LEN], d1[32], d2[32], d3[32];
	size_t i, k;

	for (i = 0; i < c->party_count; i++) {
		const accord_party_clocks *pc = &c->parties[i];

		if (pc->agreement && pc->agreement->week)
			printf("  %-17s %s, agreement %.12s, hours %s %s\n", i ? "" : "clocks",
			       cmd_esc(pc->party, 0), pc->agreement->id,
			       cmd_esc(pc->agreement->week, 0), cmd_esc(pc->agreement->zone, 0));
		else if (pc->agreement)
			printf("  %-17s %s, agreement %.12s, hours 24x7\n", i ? "" : "clocks",
			       cmd_esc(pc->party, 0), pc->agreement->id);
		else
			printf("  %-17s %s, no agreement in force: measured 24x7, no target\n",
			       i ? "" : "clocks", cmd_esc(pc->party, 0));
		for (k = 0; k < ACCORD_CLOCKS; k++) {
			const accord_clock *ck = &pc->clocks[k];

			accord_duration_format(d1, sizeof(d1), ck->elapsed_s);
			accord_time_format(t1, ck->from);
			printf("    %-15s %s%s", ck->name, ck->stopped ? "" : "running, ", d1);
			if (ck->target_s >= 0) {
				accord_duration_format(d2, sizeof(d2), ck->target_s);
				printf(" of %s: %s", d2, ck->state);
			}
			if (ck->stopped) {
				accord_time_format(t2, ck->to);
				printf(" (%s to %s)", t1, t2);
			} else {
				printf(" (since %s)", t1);
			}
			if (ck->paused_s) {
				accord_duration_format(d3, sizeof(d3), ck->paused_s);
				printf(", %s paused", d3);
			}
			if (ck->closed_s) {
				accord_duration_format(d3, sizeof(d3), ck->closed_s);
				printf(", %s closed before a reopen (not counted)", d3);
			}
			if (ck->resumed_entry && k > 0) {
				accord_time_format(t1, ck->resumed_at);
				printf(", resumed at the reopen %s", t1);
			}
			if (ck->from_terms) {
				accord_time_format(t1, ck->began);
				printf(", from the terms' co-signature (%s began %s, before them)",
				       ck->from_entry ? "the involvement" : "the impact", t1);
			}
			if (ck->disputed && !ck->start_window)
				printf(", its start DISPUTED");
			printf("\n");
			if (ck->start_window && !ck->dispute) {
				const accord_impact *w = ck->start_window;

				accord_time_format(t1, ck->began);
				accord_time_format(t2, w->start);
				accord_duration_format(d1, sizeof(d1), ck->dispute_elapsed_s);
				printf("    %-15s START DISPUTED by %s's window: %s says impact started %s, %s says %s",
				       "", cmd_esc(w->party ? w->party : "?", 0),
				       cmd_esc(c->customer ? c->customer : "?", 0), t1,
				       cmd_esc(w->party ? w->party : "?", 0), t2);
				if (ck->claimed_state)
					printf("; from %s's start %s, from %s's %s %s",
					       cmd_esc(c->customer ? c->customer : "?", 0),
					       ck->claimed_state,
					       cmd_esc(w->party ? w->party : "?", 0), d1,
					       ck->dispute_state);
				else
					printf("; from %s's start %s",
					       cmd_esc(w->party ? w->party : "?", 0), d1);
				if (!ck->apart) /* only the customer's dispute counts apart */
					printf("; counted on %s's start",
					       cmd_esc(c->customer ? c->customer : "?", 0));
				printf("\n");
			}
			if (ck->dispute) {
				const accord_dispute *d = ck->dispute;

				accord_time_format(t1, d->target->time);
				accord_time_format(t2, d->at);
				accord_duration_format(d1, sizeof(d1), ck->dispute_elapsed_s);
				printf("    %-15s DISPUTED by %s: %s signed %s, %s says %s%s%.12s%s",
				       "", cmd_esc(d->by, 0),
				       cmd_esc(d->target_party ? d->target_party : "?", 0), t1,
				       cmd_esc(d->by, 0), t2, d->evidence ? " (its entry " : "",
				       d->evidence ? d->evidence : "", d->evidence ? ")" : "");
				if (ck->claimed_state)
					printf("; on %s's time %s, on %s's %s %s",
					       cmd_esc(d->target_party ? d->target_party : "?", 0),
					       ck->claimed_state, cmd_esc(d->by, 0), d1,
					       ck->dispute_state);
				else
					printf("; on %s's time %s", cmd_esc(d->by, 0), d1);
				if (!ck->apart)
					printf("; counted on the signed time");
				printf("%s%s\n", d->reason ? ": " : "",
				       d->reason ? cmd_esc(d->reason, 0) : "");
			}
			if (ck->reported) {
				accord_duration_format(d2, sizeof(d2), ck->reported->actual);
				accord_duration_format(d3, sizeof(d3), ck->reported->target);
				printf("    %-15s reported by %s: %s %s (target %s)%s\n", "",
				       cmd_esc(ck->reported->party, 0),
				       cmd_esc(ck->reported->name, 0), d2, d3,
				       ck->disagrees ? ": DISAGREES with the computed clock" : "");
			}
		}
	}
	for (i = 0; i < c->pause_count; i++) {
		const accord_pause *ps = &c->pauses[i];

		accord_time_format(t1, ps->start);
		if (ps->has_end)
			accord_time_format(t2, ps->end);
		printf("  %-17s waiting on %s, set by %s, %s to %s%s%s: %s\n", i ? "" : "pauses",
		       cmd_esc(ps->on ? ps->on : "?", 0), cmd_esc(ps->setter ? ps->setter : "?", 0),
		       t1, ps->has_end ? t2 : "now", ps->note ? ", " : "",
		       ps->note ? cmd_esc(ps->note, 0) : "",
		       ps->counts ? (ps->cosigned_by ? "counts, co-signed" : "counts")
		       : ps->needs_customer && (ps->cosigned_by || (ps->setter && ps->on &&
								    !strcmp(ps->setter, ps->on)))
			       ? "does not count until the customer-facing party co-signs it"
		       : ps->needs_customer
			       ? "does not count until the party waited on and the customer-facing party co-sign it"
			       : "does not count until the party waited on co-signs it");
	}
}

/*
 * The agreed duplicates that name this incident: reports leave them out and
 * count here the windows of whichever holds more customer-minutes in their
 * period (lib/report/report_measure.c), so show says they exist and which
 * hold more now (attack128 03).
 */
static void print_duplicates(accord_ctx *ctx, const accord_incident *inc)
{
	accord_incident_summary *s = NULL;
	size_t n = 0, i, shown = 0;
	int64_t now = accord_time_now(), own;

	if (inc->closed_as || accord_ledger_duplicates(&s, &n, ctx->ledger, inc->id, now) < 0) {
		accord_error_clear();
		return;
	}
	own = accord_incident_customer_seconds(inc, now, NULL);
	for (i = 0; i < n; i++) {
		double cm = accord_customer_minutes(s[i].customer_seconds);

		/* as the customer-minutes line prints a figure: no ".0" (attack130 02) */
		printf("  %-17s %.12s (%.*f customer-minutes)%s\n", shown++ ? "" : "duplicates",
		       s[i].id, cm == (double)(int64_t)cm ? 0 : 1, cm,
		       s[i].customer_seconds > own
			       ? ": more than here; reports count its windows here, where its parties include this incident's"
			       : "");
	}
	free(s);
}

static void print_incident(accord_ctx *ctx, const accord_incident *inc, const accord_clocks *clocks)
{
	char sid[ACCORD_ID_HEXLEN + 1], t[ACCORD_TIME_LEN], rel[32];
	size_t i;

	cmd_short_id(sid, sizeof(sid), ctx, inc->id);
	printf("%sincident %s%s  %sSEV%lld%s  %s\n", cmd_sgr(SGR_BOLD), sid, cmd_sgr(SGR_RESET),
	       inc->severity == 1 ? cmd_sgr(SGR_RED) : "", (long long)inc->severity,
	       cmd_sgr(SGR_RESET), cmd_esc(inc->service, 0));
	if (inc->closed_as)
		printf("  %-17s %s%s%.12s, agreed by every party: %s\n", "closed as",
		       inc->closed_as->kind, inc->closed_as->of ? " of " : "",
		       inc->closed_as->of ? inc->closed_as->of : "",
		       inc->closed_as->of
			       ? "reports count that incident instead, with this one's windows where they hold more customer-minutes"
			       : "it does not count in reports");
	print_duplicates(ctx, inc);
	printf("  %-17s %s\n", "title", cmd_esc(inc->title, 0));
	print_amendments(ctx, inc);
	accord_time_format(t, inc->status_at);
	cmd_reltime(rel, sizeof(rel), inc->status_at);
	printf("  %-17s %s%s%s since %s (%s)\n", "status", cmd_status_color(inc->status),
	       cmd_esc(inc->status, 0), cmd_sgr(SGR_RESET), t, rel);
	/* concurrent changes: the one in effect won by ledger order alone, so both are shown */
	for (i = 0; i < inc->conflict_count; i++) {
		accord_buf line = ACCORD_BUF_INIT;

		accord_conflict_describe(&line, &inc->conflicts[i],
					 accord_ledger_parties(ctx->ledger), NULL);
		printf("  %-17s %s\n", i ? "" : "conflict", cmd_esc(line.ptr, 0));
		accord_buf_dispose(&line);
	}
	{
		/* as the clocks read it; the opener's claim beside it when a window says earlier (attack129 04) */
		int64_t began = accord_incident_impact_start(inc, NULL);

		accord_time_format(t, began);
		cmd_reltime(rel, sizeof(rel), began);
		printf("  %-17s %s (%s)", "impact started", t, rel);
		if (began != inc->started_at) {
			accord_time_format(t, inc->started_at);
			printf(" [opened as started %s]", t);
		}
		printf("\n");
	}
	accord_time_format(t, inc->opened_at);
	cmd_reltime(rel, sizeof(rel), inc->opened_at);
	printf("  %-17s %s (%s)\n", "opened", t, rel);
	printf("  %-17s", "parties");
	for (i = 0; i < inc->party_count; i++)
		printf("%s%s", i ? ", " : " ", cmd_esc(inc->parties[i], 0));
	printf("\n");
	printf("  %-17s %s\n", "customer-facing",
	       cmd_esc(inc->customer_party ? inc->customer_party : "?", 0));
	print_tickets(inc);
	print_impact(inc);
	print_clocks(clocks);
	print_sla_feedback(inc);
	print_closures(inc);
	if (inc->resolution)
		print_resolution(ctx, inc);
	print_timeline(ctx, inc);
}

int cmd_show(accord_ctx *ctx, int argc, char **argv)
{
	const accord_entry *open;
	accord_incident *inc = NULL;
	accord_clocks *clocks = NULL;
	int json = 0, error;

	if ((error = cmd_parse_json_flag(ctx, argc, argv, show_usage, &json)))
		return error < 0 ? 0 : error;
	if (argc - optind != 1)
		return cmd_usage_error(ctx, "expected one incident id");
	if ((error = cmd_setup(ctx)) || (error = cmd_find_incident(&open, ctx, argv[optind])))
		return error;
	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return cmd_fail(error);
	accord_incident_settle_duplicate_in(inc, ctx->ledger);
	if ((error = accord_clocks_compute(&clocks, inc, accord_ledger_parties(ctx->ledger),
					   accord_incident_ledger_in_past, ctx->ledger,
					   accord_time_now())) < 0) {
		accord_incident_free(inc);
		return cmd_fail(error);
	}
	if (json) {
		cJSON *doc = accord_incident_to_json(inc, accord_ledger_parties(ctx->ledger),
						     accord_time_now());
		cJSON *cl = accord_clocks_to_json(clocks, accord_ledger_parties(ctx->ledger));
		char sid[ACCORD_ID_HEXLEN + 1];

		cmd_short_id(sid, sizeof(sid), ctx, inc->id);
		cJSON_ReplaceItemInObjectCaseSensitive(doc, "id", cJSON_CreateString(sid));
		cJSON_AddStringToObject(doc, "full_id", inc->id);
		cJSON_AddItemToObject(doc, "clocks",
				      cJSON_DetachItemFromObjectCaseSensitive(cl, "parties"));
		cJSON_AddItemToObject(doc, "pauses",
				      cJSON_DetachItemFromObjectCaseSensitive(cl, "pauses"));
		cJSON_Delete(cl);
		cmd_print_json(doc);
	} else {
		print_incident(ctx, inc, clocks);
	}
	accord_clocks_free(clocks);
	accord_incident_free(inc);
	return 0;
}
