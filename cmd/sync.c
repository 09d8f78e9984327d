/* accord sync: exchange the ledger with other parties over git (clone.c, remote.c set them up). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "accord/sync.h"
#include "accord/idmap.h"
#include "process.h"

#include "cmd.h"

static const char sync_usage[] =
	"usage: accord sync [--json] [--no-checkpoint] [REMOTE...]\n"
	"       accord sync [--json] [--no-checkpoint] --all-ledgers | --ledger NAME...\n\n"
	"Exchange entries with each REMOTE (default: the remotes named by git config\n"
	"accord.remote, else every remote): fetch its\n"
	"refs/accord/ into refs/quarantine/REMOTE/, verify every incoming entry,\n"
	"fast-forward the feeds that pass, keep proof of equivocation under\n"
	"refs/accord/evidence/, push every feed the remote lacks or is behind on\n"
	"(only over the heads it verified there, in one atomic push; if the remote\n"
	"moved meanwhile, fetch, verify and push again, 3 rounds at most), and\n"
	"report feeds the remote rolled back. Then record a\n"
	"checkpoint of the verified heads with your key, if you are a member and\n"
	"something changed (--no-checkpoint: don't); a key that may not write yet\n"
	"(two parties added it: accord member accept) syncs without one, saying why.\n\n"
	"Exit 0 when everything was exchanged, 3 when something was refused (the\n"
	"valid feeds are still taken), 1 when a remote could not be reached.\n\n"
	"  --all-ledgers, --ledger NAME (repeatable)\n"
	"      sync each ledger listed with 'accord ledgers add' (or each NAME) with\n"
	"      its own remotes, as above: one line per ledger; a ledger that fails\n"
	"      does not stop the others, and the exit code is the worst of them.\n";

/*
 * The key for checkpoints: only when there is one and it is an active
 * member here, so that syncing never asks a non-member for a passphrase.
 */
static void load_checkpoint_key(accord_ctx *ctx)
{
	accord_pubkey pub;
	accord_ledger *l = NULL;
	const accord_member *m;
	char *home = NULL;
	int member;

	if (cmd_key_home(&home, ctx) < 0)
		return;
	if (accord_key_load_public(&pub, home) < 0) {
		free(home);
		return;
	}
	free(home);
	if (accord_ledger_open(&l, ctx->store, NULL) < 0)
		return; /* the sync itself reports it */
	m = accord_parties_member(accord_ledger_parties(l), pub.id);
	member = m && !m->revoked;
	accord_ledger_free(l);
	if (member && cmd_load_key(ctx) != 0)
		fprintf(stderr, "accord: no checkpoint will be written\n");
}

/*
 * Refusals, evidence and rollbacks on stderr (naming the ledger in a
 * cross-ledger sync); the outcome appended to `line` ("hub: up to date").
 */
static void report_text(const accord_sync_result *r, const char *label, accord_buf *line)
{
	size_t i, entries = 0;
	const char *in = label ? "ledger " : "", *sep = label ? ": " : "";

	if (!label)
		label = "";

	for (i = 0; i < r->refused_count; i++) {
		const accord_sync_candidate *c = &r->refused[i];

		if (c->head.keyid[0])
			cmd_warn("%s%s%s%s: refused feed %s: %s", in, label, sep, r->remote,
				 c->head.keyid, c->reason);
		else
			cmd_warn("%s%s%s%s: %s", in, label, sep, r->remote, c->reason);
	}
	for (i = 0; i < r->evidence_count; i++) {
		if (r->evidence[i].local[0])
			fprintf(stderr,
				"accord: %s%s%s%s: equivocation: key %s signed two different entries with sequence number %lld (%.12s here, %.12s there); both kept under %s%s/, neither taken\n",
				in, cmd_esc(label, 0), sep, cmd_esc(r->remote, 0),
				r->evidence[i].feed, (long long)r->evidence[i].seq,
				r->evidence[i].local, r->evidence[i].remote, ACCORD_EVIDENCE_PREFIX,
				r->evidence[i].feed);
		else
			fprintf(stderr,
				"accord: %s%s%s%s: equivocation: took proof that key %s signed two different entries with sequence number %lld (%.12s, kept under %s%s/); its entries from there on count only where another key's counted entry depends on them\n",
				in, cmd_esc(label, 0), sep, cmd_esc(r->remote, 0),
				r->evidence[i].feed, (long long)r->evidence[i].seq,
				r->evidence[i].remote, ACCORD_EVIDENCE_PREFIX, r->evidence[i].feed);
	}
	if (r->evidence_declined)
		fprintf(stderr,
			"accord: %s%s%s%s: declined %zu evidence %s of forks proven here already (at most %d kept per key)\n",
			in, cmd_esc(label, 0), sep, cmd_esc(r->remote, 0), r->evidence_declined,
			r->evidence_declined == 1 ? "ref" : "refs", ACCORD_EVIDENCE_PER_KEY);
	for (i = 0; i < r->rollback_count; i++)
		fprintf(stderr,
			"accord: %s%s%s%s: rollback: feed %s moved backwards on the remote (last seen %.12s, now %s%.12s); ours is kept%s\n",
			in, cmd_esc(label, 0), sep, cmd_esc(r->remote, 0), r->rollbacks[i].feed,
			r->rollbacks[i].seen, r->rollbacks[i].now[0] ? "" : "gone",
			r->rollbacks[i].now, r->error ? "" : " and pushed back");
	if (r->error)
		cmd_warn("%s%s%s%s: %s", in, label, sep, r->remote, r->error);
	if (r->held_seq) {
		char when[ACCORD_TIME_LEN];

		accord_time_format(when, r->held_time);
		cmd_warn(
			"%s%s%s%s: held back your entries from seq %lld on: dated %s, more than %d "
			"minutes ahead of this machine's clock, the remote would refuse them until "
			"then (check the clock and ACCORD_NOW)",
			in, label, sep, r->remote, (long long)r->held_seq, when,
			ACCORD_FUTURE_SLACK_S / 60);
	}
	if (r->checkpoint_skipped) /* the sync went through: a notice, not the remote's fault */
		cmd_warn("%s%s%sno checkpoint written: %s", in, label, sep, r->checkpoint_skipped);
	for (i = 0; i < r->accepted_count; i++)
		if (r->accepted[i].to > r->accepted[i].from)
			entries += (size_t)(r->accepted[i].to - r->accepted[i].from);
	if (line->size)
		accord_buf_puts(line, "; ");
	if (!r->error && entries == 0 && r->pushed_count == 0 && !r->checkpoint[0] && !r->held_seq)
		accord_buf_printf(line, "%s: up to date", cmd_esc(r->remote, 0));
	else if (!r->error || entries)
		accord_buf_printf(
			line, "%s: took %zu %s in %zu %s, pushed %zu %s%s%.12s",
			cmd_esc(r->remote, 0), entries,
			accord_plural((long long)entries, "entry", "entries"), r->accepted_count,
			accord_plural((long long)r->accepted_count, "feed", "feeds"),
			r->pushed_count, accord_plural((long long)r->pushed_count, "ref", "refs"),
			r->checkpoint[0] ? ", checkpoint " : "", r->checkpoint);
	else if (*label)
		accord_buf_printf(line, "%s: failed", cmd_esc(r->remote, 0));
}

/* Keep what a sync took, to find the incidents it touched. */
static void keep_accepted(accord_sync_accepted **all, size_t *n, const accord_sync_result *r)
{
	size_t i;

	for (i = 0; i < r->accepted_count; i++) {
		accord_sync_accepted *grown = realloc(*all, (*n + 1) * sizeof(**all));

		if (!grown)
			accord_oom();
		*all = grown;
		(*all)[(*n)++] = r->accepted[i];
	}
}

static int was_taken(const accord_sync_accepted *all, size_t n, const accord_entry *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(all[i].feed, e->author.id) && e->seq > all[i].from &&
		    e->seq <= all[i].to)
			return 1;
	return 0;
}

/*
 * Whether `l` holds every entry the syncs took. A ledger one sync verified
 * through the index holds only what that sync took: after several remotes,
 * the last one's may lack what the earlier ones took (explore60b 03).
 */
static int holds_taken(const accord_ledger *l, const accord_sync_accepted *all, size_t n)
{
	size_t i, want = 0, held = 0;

	for (i = 0; i < n; i++)
		if (all[i].to > all[i].from)
			want += (size_t)(all[i].to - all[i].from);
	for (i = 0; i < accord_ledger_entry_count(l) && held < want; i++)
		held += was_taken(all, n, accord_ledger_entry_at(l, i));
	return held == want;
}

/* What a sync took, by what it means to a reader: the summary's counts. */
typedef struct {
	size_t incidents, status_changes, proposals, cosignatures, figures, actions, notes,
		disputes, other, conflicts;
} arrivals;

static void count_arrival(arrivals *a, const accord_entry *e)
{
	const char *t = e->type;

	if (!strcmp(t, "open"))
		a->incidents++;
	else if (!strcmp(t, "status"))
		a->status_changes++;
	else if (!strcmp(t, "resolution") || !strcmp(t, "void") || !strcmp(t, "duplicate") ||
		 !strcmp(t, "agreement")) /* terms waiting for a cosign too (explore60b 09) */
		a->proposals++;
	else if (!strcmp(t, "cosign"))
		a->cosignatures++;
	else if (!strcmp(t, "impact") || !strcmp(t, "sla") || !strcmp(t, "feedback"))
		a->figures++;
	else if (!strcmp(t, "action"))
		a->actions++;
	else if (!strcmp(t, "note"))
		a->notes++;
	else if (!strcmp(t, "dispute"))
		a->disputes++;
	else
		a->other++;
}

/* "1 new incident, 2 status changes, 1 proposal" (nothing: empty). */
static void arrivals_text(accord_buf *out, const arrivals *a)
{
	const struct {
		size_t n;
		const char *one, *many;
	} parts[] = {
		{ a->incidents, "new incident", "new incidents" },
		{ a->status_changes, "status change", "status changes" },
		{ a->proposals, "proposal", "proposals" },
		{ a->cosignatures, "cosignature", "cosignatures" },
		{ a->figures, "figure", "figures" },
		{ a->actions, "action item change", "action item changes" },
		{ a->notes, "note", "notes" },
		{ a->disputes, "dispute of a time", "disputes of times" },
		{ a->other, "other entry", "other entries" },
		{ a->conflicts, "conflict", "conflicts" },
	};
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(*parts); i++)
		if (parts[i].n)
			accord_buf_printf(out, "%s%zu %s", out->size ? ", " : "", parts[i].n,
					  parts[i].n == 1 ? parts[i].one : parts[i].many);
}

static cJSON *arrivals_json(const arrivals *a, cJSON *incidents, cJSON *disputes)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "new_incidents", incidents);
	cJSON_AddItemToObject(o, "disputes", disputes);
	cJSON_AddNumberToObject(o, "status_changes", (double)a->status_changes);
	cJSON_AddNumberToObject(o, "proposals", (double)a->proposals);
	cJSON_AddNumberToObject(o, "cosignatures", (double)a->cosignatures);
	cJSON_AddNumberToObject(o, "figures", (double)a->figures);
	cJSON_AddNumberToObject(o, "actions", (double)a->actions);
	cJSON_AddNumberToObject(o, "notes", (double)a->notes);
	cJSON_AddNumberToObject(o, "other", (double)a->other);
	cJSON_AddNumberToObject(o, "conflicts", (double)a->conflicts);
	return o;
}

/* The notify command's output, shown escaped on stderr as git's hooks' is shown. */
static void notify_output(const char *data, size_t len, void *payload)
{
	cmd_transport_output(NULL, data, len, payload);
}

/*
 * git config accord.notify COMMAND: a shell command, as git's hooks and
 * aliases are, given on stdin one line of JSON per new inbox item
 * (schemas/notify.schema.json): the items of our party's inbox whose
 * entry this sync took. Its failure is reported and the sync goes on.
 * Into `out` (may be NULL): {"items", "status", "ok"}, or nothing when
 * nothing was run.
 */
static void notify(accord_ctx *ctx, const accord_sync_accepted *all, size_t n, cJSON *out)
{
	accord_process_options po = ACCORD_PROCESS_OPTIONS_INIT;
	accord_inbox *box = NULL;
	accord_buf input = ACCORD_BUF_INIT, said = ACCORD_BUF_INIT, ledger_env = ACCORD_BUF_INIT,
		   party_env = ACCORD_BUF_INIT;
	char *command = NULL;
	const char *party, *argv[5] = { "sh", "-c", NULL, "accord-notify", NULL }, *set[3];
	const char *in = ctx->label ? "ledger " : "", *label = ctx->label ? ctx->label : "",
		   *sep = ctx->label ? ": " : "";
	size_t i, items = 0;
	int status = 0;

	if (accord_store_config_get(&command, ctx->store, "accord.notify") < 0 || !*command)
		goto done;
	/* quietly: without a member key here, there is no inbox of ours to notify of */
	if (cmd_inbox_party(&party, ctx, NULL) != 0) {
		cmd_warn("%s%s%saccord.notify: not run, no party of yours to notify for", in, label,
			 sep);
		goto done;
	}
	if (accord_inbox_build(&box, ctx->ledger, party, accord_time_now()) < 0) {
		cmd_warn("%s%s%saccord.notify: %s", in, label, sep, accord_error_last());
		goto done;
	}
	for (i = 0; i < box->count; i++) {
		char *line;

		if (!was_taken(all, n, box->items[i].entry) &&
		    !(box->items[i].other && was_taken(all, n, box->items[i].other)))
			continue;
		if (!(line = cJSON_PrintUnformatted(box->items[i].json)))
			accord_oom();
		accord_buf_printf(&input, "%s\n", line);
		cJSON_free(line);
		items++;
	}
	if (!items)
		goto done;
	accord_buf_printf(&ledger_env, "ACCORD_LEDGER=%s", accord_ledger_id(ctx->ledger));
	accord_buf_printf(&party_env, "ACCORD_PARTY=%s", party);
	set[0] = ledger_env.ptr;
	set[1] = party_env.ptr;
	set[2] = NULL;
	argv[2] = command;
	po.argv = argv;
	po.env = environ;
	po.set = set;
	po.on_stderr = notify_output;
	po.input = input.ptr;
	po.input_len = input.size;
	fflush(stdout);
	if (accord_process_run(&status, &said, NULL, &po) < 0)
		status = -1;
	/* what it printed, after what it said on stderr as it ran, escaped alike */
	cmd_transport_output(NULL, said.ptr ? said.ptr : "", said.size, NULL);
	cmd_transport_flush();
	if (status != 0)
		cmd_warn(
			"%s%s%saccord.notify failed (%s %d) on %zu new inbox %s; the sync itself is done",
			in, label, sep, status < 0 ? "could not start:" : "exit", status, items,
			items == 1 ? "item" : "items");
	if (out) {
		cJSON *o = cJSON_AddObjectToObject(out, "notify");

		cJSON_AddNumberToObject(o, "items", (double)items);
		cJSON_AddNumberToObject(o, "status", status);
		cJSON_AddBoolToObject(o, "ok", status == 0);
	}
done:
	accord_inbox_free(box);
	accord_buf_dispose(&input);
	accord_buf_dispose(&said);
	accord_buf_dispose(&ledger_env);
	accord_buf_dispose(&party_env);
	free(command);
}

/*
 * A dispute of a time that arrived, as its incident reads it (who disputes
 * whose time, the signed and the disputer's time, why), into `arr`; one
 * that counts for nothing (lib/ledger/incident.c marks it) is left out.
 */
static int add_arrived_dispute(cJSON *arr, accord_ctx *ctx, const accord_entry *e)
{
	const accord_entry *open =
		e->incident[0] ? accord_ledger_entry(ctx->ledger, e->incident) : NULL;
	accord_incident *inc = NULL;
	size_t i;
	int error;

	if (!open)
		return 0;
	if ((error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
		return error;
	for (i = 0; i < inc->dispute_count; i++) {
		const accord_dispute *d = &inc->disputes[i];
		cJSON *o;

		if (d->entry != e)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "id", e->id);
		cJSON_AddStringToObject(o, "incident", inc->id);
		cJSON_AddStringToObject(o, "by", d->by);
		cJSON_AddStringToObject(o, "event", d->target->id);
		cJSON_AddStringToObject(o, "event_type", d->target->type);
		if (d->target_party)
			cJSON_AddStringToObject(o, "event_by", d->target_party);
		else
			cJSON_AddNullToObject(o, "event_by");
		accord_json_add_time(o, "claimed_at", d->target->time);
		accord_json_add_time(o, "at", d->at);
		cJSON_AddStringToObject(o, "reason", d->reason ? d->reason : "");
		cJSON_AddItemToArray(arr, o);
	}
	accord_incident_free(inc);
	return 0;
}

/*
 * Print, without --json, what arrived (`a`) and the incidents and disputes
 * among it; across ledgers the counts go on `line` instead. Frees
 * `incidents` and `disputes`.
 */
static void print_arrivals(accord_buf *line, accord_ctx *ctx, const arrivals *a, cJSON *incidents,
			   cJSON *disputes)
{
	accord_buf said = ACCORD_BUF_INIT;
	size_t i;

	arrivals_text(&said, a);
	/* across ledgers, one line per ledger: what arrived goes on it */
	if (said.size && ctx->label)
		accord_buf_printf(line, "; arrived: %s", said.ptr);
	else if (said.size)
		printf("arrived: %s\n", said.ptr);
	for (i = 0; !ctx->label && i < (size_t)cJSON_GetArraySize(incidents); i++) {
		const cJSON *o = cJSON_GetArrayItem(incidents, (int)i);
		char sid[ACCORD_ID_HEXLEN + 1];

		cmd_short_id(sid, sizeof(sid), ctx, accord_json_str(o, "id"));
		printf("  new incident %s SEV%d: %s\n", sid,
		       (int)cJSON_GetObjectItemCaseSensitive(o, "severity")->valuedouble,
		       cmd_esc(accord_json_str(o, "title"), 0));
	}
	/* a dispute is an argument about a clock: named, not only counted */
	for (i = 0; !ctx->label && i < (size_t)cJSON_GetArraySize(disputes); i++) {
		const cJSON *o = cJSON_GetArrayItem(disputes, (int)i);
		char sid[ACCORD_ID_HEXLEN + 1];

		cmd_short_id(sid, sizeof(sid), ctx, accord_json_str(o, "incident"));
		printf("  dispute %.12s of incident %s: %s disputes %s's time of %s %.12s, signed %s, says %s: %s\n",
		       accord_json_str(o, "id"), sid, cmd_esc(accord_json_str(o, "by"), 0),
		       cmd_esc(accord_json_str(o, "event_by") ? accord_json_str(o, "event_by")
							      : "?",
			       0),
		       cmd_esc(accord_json_str(o, "event_type"), 0), accord_json_str(o, "event"),
		       accord_json_str(o, "claimed_at"), accord_json_str(o, "at"),
		       cmd_esc(accord_json_str(o, "reason"), 0));
	}
	cJSON_Delete(incidents);
	cJSON_Delete(disputes);
	accord_buf_dispose(&said);
}

/*
 * The `count` conflict `lines` into the JSON array `arr`, or printed when
 * it is NULL; frees them.
 */
static void say_conflicts(accord_ctx *ctx, cJSON *arr, char **lines, size_t count)
{
	size_t i;

	/* across ledgers, the ledger's name says which one the conflict is in */
	if (!arr && count > 1)
		printf("%s%s%zu conflicts:\n", ctx->label ? cmd_esc(ctx->label, 0) : "",
		       ctx->label ? ": " : "", count);
	for (i = 0; i < count; i++) {
		if (arr)
			cJSON_AddItemToArray(arr, cJSON_CreateString(lines[i]));
		else if (count == 1)
			printf("%s%s1 conflict: %s\n", ctx->label ? cmd_esc(ctx->label, 0) : "",
			       ctx->label ? ": " : "", cmd_esc(lines[i], 0));
		else
			printf("  %s\n", cmd_esc(lines[i], 0));
	}
	for (i = 0; i < count; i++)
		free(lines[i]);
	free(lines);
}

/*
 * What the entries taken brought: counted by kind ("arrived: 1 new
 * incident, 1 proposal"), and the conflicts of the incidents they touched,
 * since concurrent writes meet on sync ("1 conflict: status of 3f2a:
 * mitigated by globex, identified by acme"). Into `doc` ("arrived",
 * "conflicts", "notify") with --json, else on stdout (across ledgers, the
 * counts on the ledger's `line`). Then accord.notify.
 * Nothing taken, nothing said.
 */
static int report_arrivals(accord_ctx *ctx, const accord_sync_accepted *all, size_t n, cJSON *doc,
			   accord_buf *line, accord_ledger **verified)
{
	accord_idmap seen = ACCORD_IDMAP_INIT;
	arrivals a = { 0 };
	cJSON *incidents = cJSON_CreateArray(), *disputes = cJSON_CreateArray();
	cJSON *arr = doc ? cJSON_GetObjectItemCaseSensitive(doc, "conflicts") : NULL;
	char **lines = NULL;
	size_t count = 0, i;
	int error = 0;

	/* the ledger the last sync verified, if the refs still hold it: no second verification */
	if (n && !ctx->ledger && *verified && accord_ledger_is_current(*verified) &&
	    holds_taken(*verified, all, n)) {
		ctx->ledger = *verified;
		*verified = NULL;
		cmd_notice_left_out(ctx);
	}
	if (n == 0 || (!ctx->ledger && cmd_load_fields(ctx, 0) != 0)) {
		if (doc) {
			cJSON_AddItemToObject(doc, "arrived",
					      arrivals_json(&a, incidents, disputes));
		} else {
			cJSON_Delete(incidents);
			cJSON_Delete(disputes);
		}
		return 0; /* the sync itself said what failed */
	}
	for (i = 0; i < accord_ledger_entry_count(ctx->ledger) && error == 0; i++) {
		const accord_entry *e = accord_ledger_entry_at(ctx->ledger, i), *open;
		accord_incident *inc = NULL;
		char sid[ACCORD_ID_HEXLEN + 1];
		size_t j;

		if (!was_taken(all, n, e))
			continue;
		count_arrival(&a, e);
		if (!strcmp(e->type, "open")) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "id", e->id);
			cJSON_AddStringToObject(o, "title", accord_entry_str(e, "title"));
			cJSON_AddNumberToObject(o, "severity",
						(double)accord_entry_int(e, "severity", 0));
			cJSON_AddItemToArray(incidents, o);
		}
		if (!strcmp(e->type, "dispute") &&
		    (error = add_arrived_dispute(disputes, ctx, e)) < 0)
			break;
		if (!e->incident[0] || accord_idmap_get(&seen, e->incident))
			continue;
		accord_idmap_put(&seen, e->incident, (void *)e->incident);
		if (!(open = accord_ledger_entry(ctx->ledger, e->incident)) ||
		    (error = accord_incident_build(&inc, ctx->ledger, open)) < 0)
			continue;
		cmd_short_id(sid, sizeof(sid), ctx, inc->id);
		for (j = 0; j < inc->conflict_count; j++) {
			accord_buf one = ACCORD_BUF_INIT;
			char **grown = realloc(lines, (count + 1) * sizeof(*lines));

			if (!grown)
				accord_oom();
			lines = grown;
			accord_conflict_describe(&one, &inc->conflicts[j],
						 accord_ledger_parties(ctx->ledger), sid);
			lines[count++] = accord_buf_detach(&one);
		}
		accord_incident_free(inc);
	}
	accord_idmap_dispose(&seen);
	a.conflicts = count;
	if (doc) {
		cJSON_AddItemToObject(doc, "arrived", arrivals_json(&a, incidents, disputes));
	} else {
		print_arrivals(line, ctx, &a, incidents, disputes);
	}
	say_conflicts(ctx, arr, lines, count);
	if (error < 0)
		return cmd_fail(error);
	/* before accord.notify, whose command may well run accord */
	cmd_save_index(ctx);
	notify(ctx, all, n, doc);
	return 0;
}

/*
 * Sync the ledger of `ctx` with `explicit` remotes (count 0: the default
 * ones). Each remote's outcome goes into `line` ("; " between them), or
 * with `list` into that JSON array, and what it took (report_arrivals)
 * into `doc` (NULL: said on stdout). Returns the exit code.
 */
static int sync_ledger(accord_ctx *ctx, char **explicit, size_t explicit_count, int json,
		       int checkpoint, cJSON *list, cJSON *doc, accord_buf *line)
{
	accord_sync_options so = ACCORD_SYNC_OPTIONS_INIT;
	unsigned char cache_key[ACCORD_LEDGER_CACHE_KEY_LEN];
	char *configured = NULL;
	git_strarray names = { NULL, 0 };
	accord_sync_accepted *taken = NULL;
	accord_ledger *verified = NULL;
	size_t ntaken = 0;
	int error, verify_failed = 0, failed = 0;
	size_t i;

	if ((error = cmd_open_store(ctx)) != 0)
		return error;
	if (explicit_count) {
		names.count = explicit_count;
		names.strings = explicit;
	} else if (accord_store_config_get(&configured, ctx->store, "accord.remote") == 0 &&
		   *configured) {
		/* git config accord.remote: the default remotes, separated by spaces or commas */
		char *tok, *save = NULL;

		for (tok = strtok_r(configured, " ,\t", &save); tok;
		     tok = strtok_r(NULL, " ,\t", &save)) {
			char **grown = realloc(names.strings, (names.count + 1) * sizeof(char *));

			if (!grown || !(grown[names.count] = strdup(tok)))
				accord_oom();
			names.strings = grown;
			names.count++;
		}
		if (names.count == 0) {
			free(configured);
			accord_buf_puts(line, "no remote: git config accord.remote names none");
			return cmd_failf(ACCORD_EXIT_FAIL,
					 "%s%s%sgit config accord.remote names no remote",
					 ctx->label ? "ledger " : "", ctx->label ? ctx->label : "",
					 ctx->label ? ": " : "");
		}
	} else {
		if ((error = accord_sync_remote_list(&names, ctx->store)) < 0) {
			accord_buf_puts(line, "failed");
			return cmd_fail(error);
		}
		if (names.count == 0) {
			git_strarray_dispose(&names);
			accord_buf_puts(line, "no remotes to sync with");
			return cmd_failf(
				ACCORD_EXIT_FAIL,
				"%s%s%sno remotes to sync with (accord remote add NAME URL)",
				ctx->label ? "ledger " : "", ctx->label ? ctx->label : "",
				ctx->label ? ": " : "");
		}
	}
	if (checkpoint)
		load_checkpoint_key(ctx);
	so.key = ctx->key;
	so.keep_ledger = 1;
	/* with the index, a sync that extends what is verified here verifies only the new commits */
	if (cmd_cache_key(cache_key, ctx))
		so.cache_key = cache_key;
	cmd_transport_setup(&so, !json);
	for (i = 0; i < names.count; i++) {
		accord_sync_result *r = NULL;

		error = accord_sync_remote(&r, ctx->store, names.strings[i], &so);
		cmd_transport_flush();
		if (error == ACCORD_EBADSIG)
			verify_failed = 1;
		else if (error < 0)
			failed = 1;
		/* only the last remote's: it verified what the earlier ones took */
		accord_ledger_free(verified);
		verified = NULL;
		if (!r)
			continue;
		verified = r->ledger;
		r->ledger = NULL;
		keep_accepted(&taken, &ntaken, r);
		/* our own entries did not go: the sync did not do its job, whatever else it did */
		if (r->held_seq)
			failed = 1;
		if (json) {
			/* The document carries everything; a failure is also said on stderr. */
			cJSON_AddItemToArray(list, accord_sync_result_json(r));
			if (r->error)
				cmd_warn("%s%s%s%s: %s", ctx->label ? "ledger " : "",
					 ctx->label ? ctx->label : "", ctx->label ? ": " : "",
					 r->remote, r->error);
		} else {
			report_text(r, ctx->label, line);
			/* one line per remote for one ledger; across ledgers, one line per ledger */
			if (!ctx->label && line->size)
				printf("%s\n", line->ptr);
			if (!ctx->label)
				accord_buf_clear(line);
		}
		accord_sync_result_free(r);
	}
	sodium_memzero(cache_key, sizeof(cache_key));
	if (!explicit_count)
		git_strarray_dispose(&names);
	free(configured);
	error = report_arrivals(ctx, taken, ntaken, json ? doc : NULL, line, &verified);
	accord_ledger_free(verified);
	free(taken);
	if (error)
		return error;
	return verify_failed ? ACCORD_EXIT_VERIFY : failed ? ACCORD_EXIT_FAIL : 0;
}

/* A worse exit code wins: verification (3) over failure (1) over success. */
static int worse(int a, int b)
{
	if (a == ACCORD_EXIT_VERIFY || b == ACCORD_EXIT_VERIFY)
		return ACCORD_EXIT_VERIFY;
	return a ? a : b;
}

/*
 * Each listed ledger with its own remotes, each in a ctx of its own: one
 * line per ledger, and a failing one does not stop the rest.
 */
static int sync_across(accord_ctx *ctx, const cmd_ledger_pick *pick, int json, int checkpoint)
{
	cmd_ledger_view *v = NULL;
	cJSON *doc = NULL, *arr = NULL;
	size_t i, n = 0;
	int error, code = 0;

	if ((error = cmd_ledgers_pick(&v, &n, ctx, pick)) != 0)
		return error;
	if (json) {
		doc = cJSON_CreateObject();
		arr = cJSON_AddArrayToObject(doc, "ledgers");
	}
	for (i = 0; i < n; i++) {
		accord_buf line = ACCORD_BUF_INIT;
		cJSON *o = NULL, *remotes = NULL;

		if (json) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "name", v[i].name);
			cJSON_AddStringToObject(o, "ledger", v[i].id);
			remotes = cJSON_AddArrayToObject(o, "remotes");
		}
		/* a path that now holds another ledger is not synced as the listed one */
		if ((error = cmd_ledger_view_open(&v[i], ctx, CMD_VIEW_INCIDENTS)) == 0) {
			/* opened only to check it is the listed ledger: sync reads the refs afresh */
			accord_ledger_free(v[i].ctx.ledger);
			v[i].ctx.ledger = NULL;
			error = sync_ledger(&v[i].ctx, NULL, 0, json, checkpoint, remotes,
					    o && cJSON_AddArrayToObject(o, "conflicts") ? o : NULL,
					    &line);
		} else
			accord_buf_puts(&line, "not synced");
		code = worse(code, error);
		if (json) {
			cJSON_AddBoolToObject(o, "ok", error == 0);
			cJSON_AddItemToArray(arr, o);
		} else {
			printf("%s: %s%s\n", cmd_esc(v[i].name, 0), error ? "FAILED: " : "",
			       line.ptr ? line.ptr : "");
		}
		accord_buf_dispose(&line);
		cmd_ctx_release(&v[i].ctx);
	}
	cmd_ledger_views_free(v, n);
	if (json)
		cmd_print_json(doc);
	return code;
}

int cmd_sync(accord_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-checkpoint", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	accord_buf line = ACCORD_BUF_INIT;
	cmd_ledger_pick pick;
	cJSON *doc = NULL, *list = NULL;
	int c, json = 0, checkpoint = 1, code;

	if ((argc = cmd_take_ledger_pick(&pick, ctx, argc, argv)) < 0)
		return ACCORD_EXIT_USAGE;
	while ((c = cmd_getopt(ctx, argc, argv, opts)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'n': checkpoint = 0; break;
		case 'h': fputs(sync_usage, stdout); return 0;
		default: return ACCORD_EXIT_USAGE;
		}
	}
	if (CMD_LEDGER_PICKED(&pick)) {
		if (optind < argc)
			return cmd_usage_error(
				ctx,
				"each ledger syncs with its own remotes: no REMOTE with --all-ledgers or --ledger");
		return sync_across(ctx, &pick, json, checkpoint);
	}
	if (json) {
		doc = cJSON_CreateObject();
		list = cJSON_AddArrayToObject(doc, "remotes");
	}
	code = sync_ledger(ctx, argv + optind, (size_t)(argc - optind), json, checkpoint, list,
			   doc && cJSON_AddArrayToObject(doc, "conflicts") ? doc : NULL, &line);
	accord_buf_dispose(&line);
	if (json)
		cmd_print_json(doc);
	return code;
}
