/*
 * util.c - small helpers shared by every module: detail formatting,
 * quoting of untrusted values into details, wiping and constant-time
 * comparison of secrets, and bounded file reading.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

hc_status
hc_fail(hc_detail *d, hc_status status, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return status;
	va_start(ap, fmt);
	(void)vsnprintf(d->text, sizeof(d->text), fmt, ap);
	va_end(ap);
	return status;
}

/*
 * Quotes an untrusted string for a detail: printable ASCII is copied, a
 * quote or backslash is escaped, anything else becomes \xNN, and the output
 * stops at HC_DETAIL_VALUE_MAX input bytes (marked "...").  A detail line
 * therefore never carries a newline or a terminal escape from the input.
 */
const char *
hc_quote(char *buf, size_t n, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0, i;

	if (n < 8) {
		if (n > 0)
			buf[0] = '\0';
		return buf;
	}
	if (s == NULL) {
		(void)snprintf(buf, n, "(null)");
		return buf;
	}
	buf[o++] = '"';
	for (i = 0; s[i] != '\0' && i < HC_DETAIL_VALUE_MAX; i++) {
		unsigned char c = (unsigned char)s[i];
		/* Room for the longest escape, the closing quote, "..." and NUL. */
		if (o + 4 + 1 + 3 + 1 > n)
			break;
		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else {
			buf[o++] = '\\';
			buf[o++] = 'x';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	buf[o++] = '"';
	if (s[i] != '\0') {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

void
hc_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n-- > 0)
		*v++ = 0;
}

int
hc_ct_memcmp(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;
	unsigned char acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= (unsigned char)(x[i] ^ y[i]);
	return acc != 0;
}

char *
hc_strdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

int
hc_read_file(const char *path, size_t max, char **out, size_t *outlen,
    hc_detail *d)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hc_fail(d, HC_CONFIG, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		hc_fail(d, HC_CONFIG, "%s is not a regular file", path);
		goto fail;
	}
	if ((uintmax_t)st.st_size > max) {
		hc_fail(d, HC_CONFIG, "%s is %jd bytes, more than the limit of %zu",
		    path, (intmax_t)st.st_size, max);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		hc_fail(d, HC_INTERNAL, "out of memory reading %s", path);
		goto fail;
	}
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			hc_fail(d, HC_CONFIG, "cannot read %s: %s", path,
			    r < 0 ? strerror(errno) : "file shrank");
			goto fail;
		}
		n += (size_t)r;
	}
	buf[n] = '\0';
	close(fd);
	*out = buf;
	if (outlen != NULL)
		*outlen = n;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

char *
hc_path_join(const char *dir, const char *path)
{
	char *r;
	size_t dl, pl;

	if (path == NULL)
		return NULL;
	if (path[0] == '/' || dir == NULL || dir[0] == '\0')
		return strdup(path);
	dl = strlen(dir);
	pl = strlen(path);
	r = malloc(dl + 1 + pl + 1);
	if (r == NULL)
		return NULL;
	memcpy(r, dir, dl);
	r[dl] = '/';
	memcpy(r + dl + 1, path, pl + 1);
	return r;
}

HC_EXPORT void
hc_string_free(char *s)
{
	free(s);
}
