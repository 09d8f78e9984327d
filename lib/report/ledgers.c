#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "accord/buf.h"
#include "accord/error.h"
#include "file.h"
#include "json.h"
#include "accord/ledgers.h"
#include "accord/party.h"
#include "array.h"
#include "alloc.h"

#define LEDGERS_FILE "ledgers.json"
#define LEDGERS_VERSION 1

static char *path_in(const char *home)
{
	char *p = NULL;

	if (asprintf(&p, "%s/%s", home, LEDGERS_FILE) < 0)
		accord_oom();
	return p;
}

static int valid_id(const char *s)
{
	return strlen(s) == ACCORD_ID_HEXLEN && strspn(s, "0123456789abcdef") == ACCORD_ID_HEXLEN;
}

void accord_ledgers_free(accord_ledgers *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++) {
		free(list->items[i].name);
		free(list->items[i].path);
	}
	free(list->items);
	free(list);
}

const accord_ledgers_item *accord_ledgers_find(const accord_ledgers *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (!strcmp(list->items[i].name, name))
			return &list->items[i];
	return NULL;
}

int accord_ledgers_add(accord_ledgers *list, const char *name, const char *path, const char *id)
{
	accord_ledgers_item it = { 0 };
	size_t i;

	if (!accord_name_valid(name))
		return accord_error_set(
			ACCORD_EINVALID,
			"invalid ledger name '%s' (letters, digits, '.', '_', '-', starting with a letter or digit, at most 64)",
			name);
	if (path[0] != '/')
		return accord_error_set(ACCORD_EINVALID,
					"a ledger's path must be absolute, not '%s'", path);
	if (!valid_id(id))
		return accord_error_set(ACCORD_EINVALID, "invalid ledger id '%s'", id);
	for (i = 0; i < list->count; i++)
		if (!strcmp(list->items[i].name, name))
			return accord_error_set(ACCORD_EEXISTS,
						"a ledger named '%s' is listed already (%s)", name,
						list->items[i].path);
	for (i = 0; i < list->count; i++)
		if (!strcmp(list->items[i].path, path))
			return accord_error_set(ACCORD_EEXISTS, "%s is listed already, as '%s'",
						path, list->items[i].name);
	/* two copies of one ledger would count its incidents twice (attack106 01) */
	for (i = 0; i < list->count; i++)
		if (!strcmp(list->items[i].id, id))
			return accord_error_set(
				ACCORD_EEXISTS,
				"ledger %.12s is listed already, as '%s' (%s): a second copy of it would count its incidents twice",
				id, list->items[i].name, list->items[i].path);
	if (!(it.name = strdup(name)) || !(it.path = strdup(path)))
		accord_oom();
	memcpy(it.id, id, sizeof(it.id));
	ACCORD_PUSH(list->items, list->count, it);
	return 0;
}

int accord_ledgers_remove(accord_ledgers *list, const char *name)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (!strcmp(list->items[i].name, name))
			break;
	if (i == list->count)
		return accord_error_set(ACCORD_ENOTFOUND, "no ledger named '%s' is listed", name);
	free(list->items[i].name);
	free(list->items[i].path);
	memmove(&list->items[i], &list->items[i + 1], (list->count - i - 1) * sizeof(*list->items));
	list->count--;
	return 0;
}

static int parse(accord_ledgers *list, const char *file, const char *text)
{
	cJSON *doc = cJSON_Parse(text), *arr, *o;
	int error = 0;

	arr = cJSON_GetObjectItemCaseSensitive(doc, "ledgers");
	if (!cJSON_IsObject(doc) || !cJSON_IsArray(arr)) {
		error = accord_error_set(ACCORD_EINVALID, "%s is not a list of ledgers", file);
		goto done;
	}
	cJSON_ArrayForEach(o, arr) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "name");
		const cJSON *path = cJSON_GetObjectItemCaseSensitive(o, "path");
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "ledger");

		if (!cJSON_IsString(name) || !cJSON_IsString(path) || !cJSON_IsString(id)) {
			error = accord_error_set(
				ACCORD_EINVALID,
				"%s: each ledger needs a name, a path and a ledger id", file);
			goto done;
		}
		if ((error = accord_ledgers_add(list, name->valuestring, path->valuestring,
						id->valuestring)) < 0) {
			/* the message is rewritten in the buffer it is read from: copy it first */
			char *why = strdup(accord_error_last());

			if (!why)
				accord_oom();
			error = accord_error_set(ACCORD_EINVALID, "%s: %s", file, why);
			free(why);
			goto done;
		}
	}
done:
	cJSON_Delete(doc);
	return error;
}

int accord_ledgers_load(accord_ledgers **out, const char *home)
{
	accord_ledgers *list = calloc(1, sizeof(*list));
	accord_buf text = ACCORD_BUF_INIT;
	char *file = path_in(home);
	FILE *f;
	int error = 0;

	if (!list)
		accord_oom();
	if (!(f = fopen(file, "re"))) {
		if (errno != ENOENT)
			error = accord_error_set(ACCORD_ERROR, "can't read %s: %s", file,
						 strerror(errno));
		goto done;
	}
	for (;;) {
		char chunk[4096];
		size_t n = fread(chunk, 1, sizeof(chunk), f);

		accord_buf_put(&text, chunk, n);
		if (n < sizeof(chunk))
			break;
	}
	if (ferror(f))
		error = accord_error_set(ACCORD_ERROR, "can't read %s: %s", file, strerror(errno));
	fclose(f);
	if (!error)
		error = parse(list, file, text.ptr ? text.ptr : "");
done:
	accord_buf_dispose(&text);
	free(file);
	if (error < 0) {
		accord_ledgers_free(list);
		return error;
	}
	*out = list;
	return 0;
}

int accord_ledgers_save(const accord_ledgers *list, const char *home)
{
	cJSON *doc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(doc, "ledgers");
	char *text, *file;
	size_t i;
	int error;

	cJSON_AddNumberToObject(doc, "version", LEDGERS_VERSION);
	for (i = 0; i < list->count; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "name", list->items[i].name);
		cJSON_AddStringToObject(o, "path", list->items[i].path);
		cJSON_AddStringToObject(o, "ledger", list->items[i].id);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text)
		accord_oom(); /* cJSON allocates through accord_xmalloc: this is unreachable */
	if ((error = accord_file_mkdirs(home, 0700)) == 0) {
		file = path_in(home);
		/* 0600 as the rest of the key home: the list says which partners one works with */
		error = accord_file_write_atomic(file, text, strlen(text), 0600);
		free(file);
	}
	cJSON_free(text);
	return error;
}
