/*
 * dv.h - the loader of testvectors/delegation.json, shared by the test
 * programs that read it (test_chain.c, regress_act_splicing.c): the
 * document, a temporary directory with its key files, and validators built
 * from its configuration with patches applied.  Test code only; it may
 * read JSON with cJSON directly.
 */
#ifndef HC_TEST_DV_H
#define HC_TEST_DV_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "testutil.h"

#define DV_FILE       "testvectors/delegation.json"
#define DV_MAX_FILES  8          /* keys.json + the "files" of the document */
#define DV_PATH_MAX   1024

/* ---------------------------------------------------------------- loader */

/* The vector document, the temporary directory its files are in, and a
 * validator built from its configuration. */
typedef struct dv {
	cJSON *doc;
	char dir[DV_PATH_MAX];
	char *names[DV_MAX_FILES];
	size_t nnames;
	hc_validator *v;
} dv;

/* Writes a string's bytes, or any other value as JSON text, as dir/name. */
static inline int
dv_write(dv *d, const char *name, const cJSON *val)
{
	char path[DV_PATH_MAX], *text = NULL;
	const char *data;
	FILE *f;
	int ok;

	if (name == NULL || name[0] == '\0' || name[0] == '.' ||
	    strchr(name, '/') != NULL || d->nnames >= DV_MAX_FILES)
		return -1;
	if (snprintf(path, sizeof(path), "%s/%s", d->dir, name) >=
	    (int)sizeof(path))
		return -1;
	if (cJSON_IsString(val))
		data = val->valuestring;
	else if ((data = text = cJSON_PrintUnformatted(val)) == NULL)
		return -1;
	if ((d->names[d->nnames] = strdup(name)) == NULL) {
		cJSON_free(text);
		return -1;
	}
	d->nnames++;
	if ((f = fopen(path, "wb")) == NULL) {
		cJSON_free(text);
		return -1;
	}
	ok = fputs(data, f) >= 0;
	if (fclose(f) != 0)
		ok = 0;
	cJSON_free(text);
	return ok ? 0 : -1;
}

/*
 * Builds a validator from the document's configuration with the members
 * of each patch (either may be NULL) replacing top-level members of the
 * same name; a null member removes it.  NULL, after saying why, when the
 * configuration does not load.
 */
static inline hc_validator *
dv_validator(const dv *d, const cJSON *patch1, const cJSON *patch2)
{
	return hc_test_validator(cJSON_GetObjectItemCaseSensitive(d->doc,
	    "config"), patch1, patch2, d->dir);
}

static inline void
dv_close(dv *d)
{
	char path[DV_PATH_MAX];

	hc_validator_free(d->v);
	for (size_t i = 0; i < d->nnames; i++) {
		if (snprintf(path, sizeof(path), "%s/%s", d->dir, d->names[i]) <
		    (int)sizeof(path))
			(void)unlink(path);
		free(d->names[i]);
	}
	if (d->dir[0] != '\0')
		(void)rmdir(d->dir);
	cJSON_Delete(d->doc);
	memset(d, 0, sizeof(*d));
}

/*
 * Reads the document, writes its key files into a fresh temporary
 * directory and builds the validator.  Returns 0, or -1 after failing the
 * test (the dv is then closed).
 */
static inline int
dv_open(dv *d)
{
	const char *base = getenv("TMPDIR");
	const cJSON *f;
	char *buf;
	size_t len;

	memset(d, 0, sizeof(*d));
	if ((buf = hc_test_read(DV_FILE, &len)) == NULL)
		return -1;
	d->doc = cJSON_ParseWithLength(buf, len);
	free(buf);
	if (d->doc == NULL) {
		CU_FAIL("delegation.json is not JSON");
		return -1;
	}
	if (base == NULL || base[0] == '\0')
		base = P_tmpdir;
	if (snprintf(d->dir, sizeof(d->dir), "%s/hc-chain-XXXXXX", base) >=
	    (int)sizeof(d->dir) || mkdtemp(d->dir) == NULL) {
		d->dir[0] = '\0';
		CU_FAIL("cannot make a temporary directory");
		dv_close(d);
		return -1;
	}
	if (dv_write(d, "keys.json", cJSON_GetObjectItemCaseSensitive(d->doc,
	    "keys")) != 0)
		goto fail;
	cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(d->doc, "files"))
		if (dv_write(d, f->string, f) != 0)
			goto fail;
	if ((d->v = dv_validator(d, NULL, NULL)) != NULL)
		return 0;
fail:
	CU_FAIL("cannot set up delegation.json");
	dv_close(d);
	return -1;
}

/* The case called `name` in list `list`, or NULL after failing the test. */
static inline const cJSON *
dv_find(const dv *d, const char *list, const char *name)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(d->doc, list)) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(c, "name");
		if (cJSON_IsString(n) && strcmp(n->valuestring, name) == 0)
			return c;
	}
	fprintf(stderr, "\n%s: no case %s in %s\n", DV_FILE, name, list);
	CU_FAIL("vector case missing");
	return NULL;
}

#endif /* HC_TEST_DV_H */
