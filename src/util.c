/* SPDX-License-Identifier: Apache-2.0 */
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
	for (i = 0; i < HC_DETAIL_VALUE_MAX && s[i] != '\0'; i++) {
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

/* strerror(), thread-safe (the XSI strerror_r of POSIX). */
static const char *
errtext(int e, char *buf, size_t n)
{
	if (strerror_r(e, buf, n) != 0)
		(void)snprintf(buf, n, "error %d", e);
	return buf;
}

int
hc_read_file(const char *path, size_t max, char **out, size_t *outlen,
    hc_detail *d)
{
	char err[128];
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int fd;

	*out = NULL;
	if (outlen != NULL)
		*outlen = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hc_fail(d, HC_CONFIG, "cannot open %s: %s", path, errtext(errno,
		    err, sizeof(err)));
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
			    r < 0 ? errtext(errno, err, sizeof(err)) :
			    "file shrank");
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

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0; v0 = ROTL64(v0, 32);	\
	v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2; v2 = ROTL64(v2, 32);	\
} while (0)

static uint64_t
load_le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/*
 * SipHash-2-4 (Aumasson and Bernstein, "SipHash: a fast short-input PRF",
 * 2012) of the n bytes at `in` under the 16-byte key `k`.
 */
uint64_t
hc_siphash24(const unsigned char k[16], const unsigned char *in, size_t n)
{
	uint64_t k0 = load_le64(k), k1 = load_le64(k + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = (uint64_t)n << 56, m;
	size_t i, left = n & 7;

	for (i = 0; i + 8 <= n; i += 8) {
		m = load_le64(in + i);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	for (size_t j = 0; j < left; j++)
		b |= (uint64_t)in[i + j] << (8 * j);
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	for (int r = 0; r < 4; r++)
		SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

HC_EXPORT void
hc_string_free(char *s)
{
	free(s);
}

int
hc_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}
