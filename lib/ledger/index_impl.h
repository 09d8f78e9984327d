/*
 * Inside the index (index.h says what it is and why it can be trusted no
 * further than the refs): what its files share. Never installed.
 *
 *   index.c        opening: the freshness check against the refs,
 *                  catching up with new commits, rebuilding from a full
 *                  verification, recording new entries, loading incidents
 *   index_files.c  the files and their authentication: tags, shelves,
 *                  buckets with their incidents' lines, `opens`
 *   index_state.c  the state file: feed heads, findings, membership, the
 *                  rollback guard
 *   index_query.c  finding an incident by prefix, listing, repairing a
 *                  damaged index
 *   index_recent.c the newest incidents' summaries in one file, for list
 */
#ifndef ACCORD_INDEX_IMPL_H
#define ACCORD_INDEX_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "accord/idmap.h"

#include "index.h"

/* A key's type in the state file: nothing for ssh-ed25519, ":<application>" for an sk key. */
#define KEY_TYPE_SUFFIX(k)                               \
	((k)->type == ACCORD_KEY_SK_ED25519 ? ":" : ""), \
		((k)->type == ACCORD_KEY_SK_ED25519 ? (k)->application : "")
#define INDEX_VERSION \
	"accord-index 23" /* 5: a tree of tags from the state down, opens chained; 6: cuts, format 2; 7: agreements; 8: anchors; 9: what counted entries saw past a cut; 10: who invited each party; 11: an agreement's customer by index; 12: and its provider; 13: shelves of 16 buckets; 14: an incident file says how it was closed; 15: rules changed (a fork side's authority, agreed figures and times): re-derive; 16: closes at once, vouches through counted entries: re-derive; 17: a cut reaches past a rotation it did not see: re-derive; 18: rotations taken up (rotated lines); 19: a dispute bound by its evidence's time: re-derive; 20: incident files name the incidents whose duplicate proposals name them (d lines); 21: recent; 22: incidents kept in their buckets, no file each; 23: causal answers (p lines) */
#define TAG_LEN 32	  /* a file's tag: BLAKE2b-256 */
#define LINE_TAG_LEN 16	  /* an opens line's tag */
#define OPENS_LINE (ACCORD_ID_HEXLEN + 1 + 2 * LINE_TAG_LEN + 1) /* "<id> <tag>\n" */
/*
 * incidents/<ab>/ holds a shelf: the tags of 16 buckets, incidents/<ab>/bucket-<c>,
 * one per third digit of the id. A command that reads a few incidents
 * authenticates a shelf and a bucket for each, about 12 incidents each at a
 * million entries, not one bucket of 190 (issue 14: `accord list`). A
 * bucket holds its incidents' lines: a file each made the first command
 * after a clone create 52,000 files at a million entries, and a sync of
 * 10,000 entries 1,167 (issue 14: creating a file costs more than writing it).
 */
#define SHELVES 256
#define BUCKETS (SHELVES * 16)

/* load_state: two parties share a name; every open of this ledger is a full verification */
#define NAME_CONFLICT 2
#define ACCORD_ENOTFOUND_INDEX 3 /* the index lists an incident whose file is gone */

/* The entries of one incident loaded so far, in ledger order. */
typedef struct {
	const accord_entry **entries;
	size_t count;
} loaded_incident;

/*
 * An incident of a bucket and its lines, as the bucket stores them: a
 * bucket holds a dozen incidents or more and a command reads one or two
 * of them, so none is parsed until asked for.
 */
typedef struct {
	char id[ACCORD_ID_HEXLEN + 1];
	char *text; /* its lines (the incident's lines below), owned, NUL-terminated */
	size_t len;
} bucket_row;

/* A bucket file, incidents/<ab>/bucket-<c>: every incident whose id starts with <abc>. */
typedef struct {
	bucket_row *rows; /* sorted by id */
	size_t count;
	int dirty; /* changed since it was read or written */
} bucket;

/* A shelf file, incidents/<ab>/shelf: the tag of each of its buckets that has incidents. */
typedef struct {
	unsigned char tag[16][TAG_LEN];
	unsigned char has[16];
	int dirty; /* a bucket's tag changed since it was read or written */
} shelf;

/*
 * Every ANCHOR_EVERY-th entry of each feed, by seq, clock and commit: a
 * causal question about old entries starts each feed's walk at the anchor
 * just above them, not at the feed's head (index_anchors.c).
 */
#define ANCHOR_EVERY 64

typedef struct {
	int64_t seq, lamport;
	git_oid commit;
} anchor;

/* A feed's anchors, seq ascending, up to `top` (0: none). */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	int64_t top;
	anchor *a;
	size_t n;
} anchor_feed;

/* The furthest point of a feed this repository ever verified. */
typedef struct {
	char keyid[ACCORD_KEYID_HEXLEN + 1];
	int64_t seq;
	char id[ACCORD_ID_HEXLEN + 1];
} high_mark;

struct accord_index {
	char *dir; /* <gitdir>/accord/index */
	char evidence[ACCORD_ID_HEXLEN +
		      1];	/* digest of the evidence refs the state was made with */
	accord_idmap high;	/* key id -> high_mark: survives rebuilds, never goes down */
	accord_idmap loaded;	/* entry id -> entry, for entries held by the ledger */
	accord_idmap incidents; /* incident id -> loaded_incident */
	int dirty;		/* the state file lags behind the ledger */
	size_t opens;		/* lines of `opens` that count (the state says how many) */
	char opens_head[2 * LINE_TAG_LEN + 1]; /* the tag of the last of them ("" for none) */
	/*
	 * The tree that makes an older file put back show: the state records
	 * each shelf file's tag, each shelf each of its bucket files' tag; a
	 * bucket holds its incidents' lines.
	 */
	unsigned char state_tag[TAG_LEN];	   /* of the state file read: has it moved since? */
	unsigned char shelf_tag[SHELVES][TAG_LEN]; /* as the state records them */
	unsigned char has_shelf[SHELVES];	   /* the state records shelf s */
	shelf *shelves[SHELVES];		   /* read (and authenticated) or changed so far */
	bucket *buckets[BUCKETS];		   /* the same */
	unsigned char key[crypto_generichash_KEYBYTES]; /* this repository's tag key */
	/* each feed's anchors: the tops come with the state, the anchors file on first use */
	anchor_feed *anchors;
	size_t anchor_feeds;
	int anchors_read;		    /* the anchors file was read (or there is none) */
	int anchors_dirty;		    /* changed: written before the state */
	int has_anchors_tag;		    /* the state records an anchors file */
	unsigned char anchors_tag[TAG_LEN]; /* its tag, as the state records it */
	/*
	 * What a catch-up or an offer took in memory and has not written yet:
	 * the incidents it touched (each once, in the order first touched) and
	 * the opens it added, in ledger order (index.c, write_taken).
	 */
	accord_idmap taken_seen;
	const char **taken;
	size_t ntaken;
	const char **taken_opens;
	size_t ntaken_opens;
	/*
	 * Incident id -> struct named_by: the incidents whose duplicate
	 * proposals name it, learnt from entries this process took, added to
	 * its file's d lines when it is written (accord_index_name_duplicate).
	 * `fresh`: the files are written anew (a rebuild): d lines come from
	 * here alone, never from a file already there.
	 */
	accord_idmap named_by;
	int fresh;
	int use_memo; /* incidents loaded meanwhile come through the store's memo (index.c) */
	/* `recent` (index_recent.c): its tag as the state records it, and what changed since */
	int has_recent;
	unsigned char recent_tag[TAG_LEN];
	accord_idmap recent_changed; /* incident id (owned) -> itself: files written */
	char **recent_opened;	     /* incidents opened (owned), for their short ids */
	size_t nrecent_opened;
	int recent_dirty;      /* any of them, or `recent` must be made anew */
	struct recent *recent; /* read for a list, or NULL */
	/* causal answers of the incidents loaded (p lines): key -> struct index_past, owned */
	accord_idmap past;
};

/* Incidents that name one in duplicate proposals (accord_index.named_by). */
struct named_by {
	const char **ids;
	size_t count;
};

/*
 * incidents/<ab>/shelf (read_shelf):
 *   accord-shelf 1
 *   <c> <tag>                      one per bucket of the shelf that has
 *                                  incidents, by digit: the tag its file
 *                                  must carry
 *
 * incidents/<ab>/bucket-<c> (read_bucket):
 *   accord-bucket 2
 *   i <id> <length>                one per incident of the bucket, by id, each
 *                                  followed by its lines (<length> bytes):
 *
 * an incident's lines:
 *   s <status> <severity> <opened> <started> <status_at>
 *   c void|duplicate <of|->        each void or duplicate every party agreed
 *                                  to, in order: list settles which is in effect
 *   v <service>
 *   t <title>
 *   w <customers> <start> <end|->  one per impact window: customer-minutes
 *                                  depend on when they are read
 *   e <commit> <entry id>          one per entry, ledger order, open first
 *   p <later> <earlier> 0|1        one per causal question its derivation and
 *                                  clocks asked: whether earlier is in later's
 *                                  past; each entry by its place among the e
 *                                  lines (0 for the open), else by its id
 */
/*
 * One such answer. Entries never change, and one that counts has its whole
 * past in the ledger, so the answer never changes either: show and list
 * read it here instead of walking every feed down to the entries asked
 * about (issue 14: showing the oldest of 48,200 incidents of a million
 * entries read 3,500 entries to answer two questions).
 */
struct index_past {
	char key[2 * ACCORD_ID_HEXLEN + 1]; /* later's id, then earlier's */
	int yes;
};

typedef struct {
	accord_incident_summary summary;
	git_oid *commits;
	char (*ids)[ACCORD_ID_HEXLEN + 1];
	size_t count;
	accord_impact *windows;
	size_t window_count;
	/* the joint voids and duplicates after the first (summary.closed_as), in order */
	struct index_closure {
		char kind[16];
		char of[ACCORD_ID_HEXLEN + 1];
	} * later;
	size_t later_count;
	/* the incidents with a duplicate proposal naming this one (d lines), sorted */
	char (*named_by)[ACCORD_ID_HEXLEN + 1];
	size_t named_by_count;
	struct index_past *past; /* p lines */
	size_t past_count;
} incident_file;

/* ---- index_files.c: reading lines --------------------------------------- */

/*
 * Split `line` in place at single spaces into `field` (at most `max`):
 * how many, or -1 if there are more or one is empty. The state's lines
 * that repeat per feed and per member, and the summary lines of the
 * incidents `list` shows, are read this way: sscanf, tried keyword after
 * keyword, was a third of a `list` at 55 members (issue 14).
 */
int accord_index_fields(char **field, int max, char *line);

/* Field `s` as a decimal number (an optional '-', then digits only) in range: 0, else -1. */
int accord_index_number(long long *out, const char *s);

/* ---- index.c --------------------------------------------------------------- */

/* Append `item` to the pointer array *arrp; out of memory aborts. */
void accord_index_push_ptr(void *arrp, size_t *count, const void *item);

/* Forget the shelves and buckets read or changed. */
void accord_index_drop_buckets(struct accord_index *ix);

/* Free bucket `bk` and its incidents' lines. */
void accord_index_bucket_free(bucket *bk);

/* Free the high marks. */
void accord_index_marks_dispose(struct accord_index *ix);

/* The entries of incident `id` loaded so far (made empty with `create`), or NULL. */
loaded_incident *accord_index_loaded(struct accord_index *ix, const char *id, int create);

/*
 * Read an incident's entries through its index file, verifying each again
 * (signature, schema, and that it belongs to this incident).
 */
int accord_index_load_incident(accord_ledger *l, const char *id);

/* The high marks of the state file being replaced (a damaged file gives what it can). */
void accord_index_carry_marks(struct accord_index *ix, const char *dir);

/* The incidents of `l` in ledger order, each with its entries in ledger order, the open first. */
void accord_index_group_incidents(loaded_incident ***order, size_t *norder, const accord_ledger *l);

/* Free what accord_index_group_incidents made. */
void accord_index_free_incidents(loaded_incident **order, size_t norder);

/* Re-derive the whole index from the refs by a full verification (under the write lock). */
int accord_index_rebuild(accord_store *store, const char *dir, const unsigned char *key);

/* ---- index_files.c --------------------------------------------------------- */

/*
 * Replace index file `name` (relative to the index folder) by `data`,
 * atomically and only if it differs, by descriptor: no link on the way is
 * followed.
 */
int accord_index_write_file(const struct accord_index *ix, const char *name,
			    const accord_buf *data);

/* The tag key of the index of `store`: the user's cache key, bound to this repository. */
void accord_index_derive_key(unsigned char *out, accord_store *store,
			     const unsigned char *cache_key);

/* Read index file `name` (relative to the index folder) and authenticate it; its tag into `tag`. */
int accord_index_read_sealed(accord_buf *out, unsigned char *tag, const struct accord_index *ix,
			     const char *name);

/* Seal `data` and write it as index file `name`, atomically; its tag into `tag`. */
int accord_index_write_sealed(unsigned char *tag, const struct accord_index *ix, const char *name,
			      accord_buf *data);

/* The tag (hex) of line `n` of `opens`, incident `id`, chained to `prev` (line n-1's, or ""). */
void accord_index_opens_tag(char *out, const struct accord_index *ix, size_t n, const char *id,
			    const char *prev);

/* A line of `opens`: "<id> <tag>\n" (no NUL). */
void accord_index_opens_line(char *out, const char *id, const char *tag);

/* The bucket of an incident id (or of a prefix of three digits or more); its shelf is b / 16. */
unsigned accord_index_bucket_of(const char *id);

/* Bucket `b`, read once per open and checked against the tag its shelf recorded for it. */
int accord_index_read_bucket(bucket **out, struct accord_index *ix, unsigned b);

/* Write the buckets and shelves that changed, recording the shelves' new tags for the state. */
int accord_index_flush_buckets(struct accord_index *ix);

/*
 * Write bucket `b` if it changed, its tag into its shelf, and forget it
 * (read back from the file if asked for again): a rebuild writes the
 * incidents bucket by bucket and holds one at a time.
 */
int accord_index_flush_bucket(struct accord_index *ix, unsigned b);

void accord_index_incident_file_dispose(incident_file *f);

/*
 * Read incident `id`'s lines from its bucket, checked down the tree. With
 * `summary_only` its entries after the open are not parsed (f->count is
 * 1): a list needs the summary and windows, and the bucket's tag still
 * covers every byte.
 */
int accord_index_read_incident_file(incident_file *f, struct accord_index *ix, const char *id,
				    int summary_only);

/*
 * An incident's lines (of its bucket, or of `recent`), parsed in place
 * into *f (zeroed by the caller; `summary_only`: up to the first e line).
 * -1 on a line that does not parse.
 */
int accord_index_parse_incident(incident_file *f, char *text, int summary_only);

/*
 * Seal `data` and write it over index file `name` in place, not through a
 * new file: for the files the state vouches for through their tags
 * (buckets, shelves, `recent`). A torn write, or a reader
 * that meets a file half-written, only fails to authenticate, and the
 * reader repairs: it waits for the writer's lock and takes the state
 * written after the files, or re-derives the index, as it would for a
 * file renamed in ahead of that state. Creating a file costs more than
 * writing it on ext4 (a new inode searches past those recently deleted,
 * and each replaced file deletes one): a sync of 10,000 entries replaced
 * 1,167 files. Only into a regular file with one name.
 */
int accord_index_write_sealed_in_place(unsigned char *tag, const struct accord_index *ix,
				       const char *name, accord_buf *data);

/*
 * Derive the incident from its loaded entries and put its lines in its
 * bucket (written with the state: accord_index_flush_buckets). Its d
 * lines: those it has already (unless ix->fresh) and those ix->named_by
 * holds for it.
 */
int accord_index_write_incident_file(struct accord_index *ix, const accord_ledger *l,
				     const accord_parties *parties, const loaded_incident *li);

/*
 * Note that entry `e`, a duplicate proposal on its incident, names incident
 * `of`: of's file lists e's incident among those that may name it (its d
 * lines), so show finds them without reading every incident. Returns `of`,
 * or NULL when `e` names no incident.
 */
const char *accord_index_name_duplicate(struct accord_index *ix, const accord_entry *e);

/* Write incident `id` as line ix->opens of `opens`, past which nothing counts. */
int accord_index_append_open(struct accord_index *ix, const char *id);

/* ---- index_query.c --------------------------------------------------------- */

/*
 * The digits that tell incident `id` from every other one the index
 * lists, at least `min`, into *len (accord_ledger_short_len, without the
 * repair).
 */
int accord_index_short_len_of(size_t *len, struct accord_index *ix, const char *id, size_t min);

/* ---- index_recent.c -------------------------------------------------------- */

/* Incident `id`'s file was written: `recent` is made again. */
void accord_index_recent_changed(struct accord_index *ix, const char *id);

/* Incident `id` was opened (a line added to `opens`): the same, and it may lengthen short ids. */
void accord_index_recent_opened(struct accord_index *ix, const char *id);

/*
 * accord_ledger_short_len of `id` from `recent`, for a `min` of 12 or more;
 * 0 when `recent` does not hold `id`.
 */
size_t accord_index_recent_short_len(struct accord_index *ix, const char *id, size_t min);

/*
 * Write `recent` anew if anything changed, before the state that records
 * its tag. Never fails the write: when an incident cannot be read, the
 * state records no `recent` and lists read the buckets.
 */
void accord_index_recent_save(struct accord_index *ix);

/*
 * Incident `id`'s summary from `recent` into *f (as read with summary_only,
 * no entries): 1, or 0 when `recent` does not hold it or does not match
 * the state (then the caller reads the incident from its bucket).
 */
int accord_index_recent_get(incident_file *f, struct accord_index *ix, const char *id);

/* The state's line for `recent`, and reading it back (0, or -1 if it is not that line). */
void accord_index_recent_state(accord_buf *state, const struct accord_index *ix);
int accord_index_recent_line(struct accord_index *ix, const char *line);

/* Forget `recent` as read (the state it matched is gone), or everything at the end. */
void accord_index_recent_drop(struct accord_index *ix);
void accord_index_recent_dispose(struct accord_index *ix);

/* ---- index_anchors.c ------------------------------------------------------- */

/* The state's lines for the anchors: "anchors <tag>", "anchored <keyid> <top>". */
void accord_index_anchors_save(accord_buf *state, const struct accord_index *ix);

/* One of those lines back (0), or -1 if it is not one of them or does not read. */
int accord_index_anchors_line(struct accord_index *ix, char *line);

/* Anchor every feed of `full` (a ledger verified in full, all its entries held) anew. */
void accord_index_anchors_from(struct accord_index *ix, const accord_ledger *full);

/*
 * Extend the anchors of each feed of `l` up to its head, reading the
 * feed's new commits, and write the anchors file if they changed (its
 * tag for the state). Under the write lock, before the state is written.
 */
int accord_index_anchors_update(accord_ledger *l);

void accord_index_anchors_dispose(struct accord_index *ix);

/* ---- index_state.c --------------------------------------------------------- */

/* Raise key `keyid`'s furthest verified point (the rollback guard) to `seq`, entry `id`. */
void accord_index_raise_mark(struct accord_index *ix, const char *keyid, int64_t seq,
			     const char *id);

/* A state line "high <keyid> <seq> <entry id>" into the marks (split in place); -1 if it is not one. */
int accord_index_high_line(struct accord_index *ix, char *line);

/* ACCORD_EBADSIG if key `keyid`'s feed now ends below its furthest verified point. */
int accord_index_check_mark(const struct accord_index *ix, const char *keyid, int64_t seq);

/* Write the state file (and the buckets and shelves that changed) for ledger `l`. */
int accord_index_save_state(accord_ledger *l);

/* A new indexed ledger with no entries, for index folder `dir` of `store`, tagging with `key`. */
accord_ledger *accord_index_shell(accord_store *store, const char *dir, const unsigned char *key);

/* Read the state file into a new indexed ledger. */
int accord_index_load_state(accord_ledger **out, accord_store *store, const char *dir,
			    const unsigned char *key);

#endif
