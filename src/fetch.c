/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fetch.c - one HTTP GET for a remote key source, through libcurl.
 *
 * This is the only file that includes libcurl.  It knows nothing about
 * keys: it checks the URL against the rules every remote source shares
 * (fetch.h), performs the transfer with verification, timeouts, a size cap
 * and no redirects, and hands back the body with the two response headers
 * the refresher needs (ETag, Cache-Control).  Every failure becomes
 * HC_UNAVAILABLE with a reason that names the URL without its query or
 * userinfo; a response body never reaches a detail.
 *
 * libcurl wants curl_global_init() to run once before any other call and
 * not concurrently with other threads' use of libraries it initialises;
 * pthread_once() gives the first fetch that guarantee within this library.
 * curl_global_cleanup() is never called: a library cannot know that its
 * host program has finished with libcurl.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "fetch.h"
#include "url.h"

/* A Cache-Control max-age above this is read as this (seconds). */
#define FETCH_MAX_AGE_CAP  1000000000LL
/* Room for libcurl's own error text in a detail. */
#define FETCH_CURL_ERR_MAX 160

/* ------------------------------------------------------------- types */

/* The state of one transfer, shared with libcurl's callbacks. */
struct xfer {
	char *buf;               /* body received so far, NUL-terminated */
	size_t len, cap;
	size_t max;              /* fetch.max_bytes */
	bool too_big;            /* the body went over max: transfer aborted */
	bool oom;
	const int *stop;
	/* From the headers of the last response (an interim 1xx or a proxy's
	   CONNECT answer comes first and is forgotten). */
	char *etag;
	int64_t max_age;
	bool no_cache;
};

/* A URL split by url_split(); pointers into the URL. */
struct url_parts {
	bool https;
	const char *host;        /* without brackets */
	size_t hlen;
	bool bracketed;          /* an IP literal, [..] */
	unsigned port;           /* 0 when not given */
};

/* --------------------------------------------------- private: URLs */

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * RFC 3986 section 2: unreserved and reserved characters and '%'.  '#'
 * is left out: a fragment has no place in a fetched URL.
 */
static bool
is_uri_char(int c)
{
	return is_alnum(c) || (c != '\0' &&
	    strchr("-._~:/?[]@!$&'()*+,;=%", c) != NULL);
}

static bool
ascii_ieq(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/*
 * Whether the URL's host is a loopback host: the one rule of url.h, asked
 * of the host as written (brackets included), as config.c asks it.
 */
static bool
is_loopback(const struct url_parts *u)
{
	hc_hostport hp;

	memset(&hp, 0, sizeof(hp));
	hp.host = u->host;
	hp.hlen = u->hlen;
	hp.bracketed = u->bracketed;
	return hc_hostport_is_loopback(&hp);
}

/*
 * Splits scheme://authority and checks the authority: a host name of
 * letters, digits, '-', '.', '_', or a bracketed IPv6 literal, then an
 * optional :port; no userinfo.
 */
static hc_status
url_split(const char *url, struct url_parts *u, hc_detail *d)
{
	const char *auth, *end, *p;
	size_t alen;

	memset(u, 0, sizeof(*u));
	if (strncmp(url, "https://", 8) == 0) {
		u->https = true;
		auth = url + 8;
	} else if (strncmp(url, "http://", 7) == 0) {
		auth = url + 7;
	} else
		return hc_fail(d, HC_UNAVAILABLE, "not an http(s) URL");
	alen = strcspn(auth, "/?");
	end = auth + alen;
	if (memchr(auth, '@', alen) != NULL)
		return hc_fail(d, HC_UNAVAILABLE, "URL carries userinfo");
	if (alen > 0 && auth[0] == '[') {
		const char *close = memchr(auth, ']', alen);

		if (close == NULL)
			return hc_fail(d, HC_UNAVAILABLE, "URL has an unclosed "
			    "IP literal");
		u->host = auth + 1;
		u->hlen = (size_t)(close - auth) - 1;
		u->bracketed = true;
		for (p = u->host; p < close; p++)
			if (!is_digit(*p) && strchr("abcdefABCDEF:.", *p) == NULL)
				return hc_fail(d, HC_UNAVAILABLE, "URL has a "
				    "malformed IP literal");
		p = close + 1;
	} else {
		u->host = auth;
		for (p = auth; p < end && *p != ':'; p++)
			if (!is_alnum(*p) && *p != '-' && *p != '.' && *p != '_')
				return hc_fail(d, HC_UNAVAILABLE, "URL host has a "
				    "character outside letters, digits, '-', '.' "
				    "and '_'");
		u->hlen = (size_t)(p - auth);
	}
	if (u->hlen == 0)
		return hc_fail(d, HC_UNAVAILABLE, "URL has no host");
	if (p < end) {
		unsigned v = 0;
		size_t digits = 0;

		if (*p++ != ':')
			return hc_fail(d, HC_UNAVAILABLE, "URL has junk after "
			    "its host");
		for (; p < end; p++, digits++) {
			if (!is_digit(*p) || digits >= 5)
				return hc_fail(d, HC_UNAVAILABLE, "URL has a "
				    "malformed port");
			v = v * 10 + (unsigned)(*p - '0');
		}
		if (digits == 0 || v == 0 || v > 65535)
			return hc_fail(d, HC_UNAVAILABLE, "URL has a port "
			    "outside 1..65535");
		u->port = v;
	}
	return HC_OK;
}

/* Checks a URL and splits it (see hc_fetch_url_check()). */
static hc_status
url_check(const char *url, bool allow_http, struct url_parts *u,
    hc_detail *d)
{
	size_t n;

	if (url == NULL)
		return hc_fail(d, HC_UNAVAILABLE, "no URL");
	n = strlen(url);
	if (n > HC_FETCH_MAX_URL_BYTES)
		return hc_fail(d, HC_UNAVAILABLE, "URL is longer than %d bytes",
		    HC_FETCH_MAX_URL_BYTES);
	for (size_t i = 0; i < n; i++)
		if (!is_uri_char((unsigned char)url[i]))
			return hc_fail(d, HC_UNAVAILABLE, "URL holds a byte "
			    "(0x%02x) that is not a URI character, or a fragment",
			    (unsigned char)url[i]);
	if (url_split(url, u, d) != HC_OK)
		return HC_UNAVAILABLE;
	if (!u->https) {
		if (!allow_http)
			return hc_fail(d, HC_UNAVAILABLE, "plain http:// is not "
			    "allowed for this source (allow_insecure_http is off)");
		if (!is_loopback(u))
			return hc_fail(d, HC_UNAVAILABLE, "plain http:// is "
			    "allowed only to a loopback host (127.x.x.x, [::1], "
			    "localhost)");
	}
	return HC_OK;
}

/*
 * Parses the URL again with libcurl's own parser and checks that it sees
 * the scheme and host we checked, so that no difference between two URL
 * parsers can send the request elsewhere.  On success *out is the parsed
 * handle the transfer will use.
 */
static hc_status
url_agree(const char *url, const struct url_parts *u, CURLU **out,
    hc_detail *d)
{
	char *scheme = NULL, *host = NULL;
	CURLU *h;
	hc_status st = HC_OK;
	size_t want;

	*out = NULL;
	if ((h = curl_url()) == NULL)
		return hc_fail(d, HC_INTERNAL, "out of memory");
	if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		st = hc_fail(d, HC_UNAVAILABLE, "libcurl cannot parse the URL");
		goto done;
	}
	want = u->hlen + (u->bracketed ? 2 : 0);
	if (strcmp(scheme, u->https ? "https" : "http") != 0 ||
	    strlen(host) != want ||
	    strncasecmp(host + (u->bracketed ? 1 : 0), u->host, u->hlen) != 0)
		st = hc_fail(d, HC_UNAVAILABLE, "libcurl reads the URL's scheme "
		    "or host differently; refused");
done:
	curl_free(scheme);
	curl_free(host);
	if (st == HC_OK)
		*out = h;
	else
		curl_url_cleanup(h);
	return st;
}

/* ------------------------------------------------ private: headers */

/*
 * If the header line p (n bytes, CRLF included) is `name`, stores its
 * value, trimmed of blanks, in *v and *vlen.
 */
static bool
header_value(const char *p, size_t n, const char *name, const char **v,
    size_t *vlen)
{
	size_t nl = strlen(name), s, e;

	if (n <= nl || p[nl] != ':' || strncasecmp(p, name, nl) != 0)
		return false;
	s = nl + 1;
	e = n;
	while (s < e && (p[s] == ' ' || p[s] == '\t'))
		s++;
	while (e > s && (p[e - 1] == '\r' || p[e - 1] == '\n' ||
	    p[e - 1] == ' ' || p[e - 1] == '\t'))
		e--;
	*v = p + s;
	*vlen = e - s;
	return true;
}

/*
 * Remembers an ETag (RFC 9110 section 8.8.3) if it is short and made of
 * visible ASCII only, since it goes back out in a request header: a CR or
 * LF in it would let the server forge headers of our next request.
 */
static void
take_etag(struct xfer *x, const char *v, size_t n)
{
	free(x->etag);
	x->etag = NULL;
	if (n == 0 || n > HC_FETCH_MAX_ETAG_BYTES)
		return;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x21 || (unsigned char)v[i] > 0x7e)
			return;
	if ((x->etag = malloc(n + 1)) == NULL) {
		x->oom = true;
		return;
	}
	memcpy(x->etag, v, n);
	x->etag[n] = '\0';
}

/*
 * Reads the Cache-Control directives of RFC 9111 section 5.2.2 that
 * matter to a client refreshing a document: max-age (the smallest, when
 * repeated), no-cache and no-store.  A max-age that is not a number is
 * read as no-cache: RFC 9111 section 4.2.1 treats such a response as
 * stale.
 */
static void
take_cache_control(struct xfer *x, const char *v, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t s, e, nl;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		for (nl = 0; s + nl < e && v[s + nl] != '='; nl++)
			;
		if (ascii_ieq(v + s, nl, "no-cache") ||
		    ascii_ieq(v + s, nl, "no-store")) {
			x->no_cache = true;
		} else if (ascii_ieq(v + s, nl, "max-age")) {
			size_t p = s + nl + 1, digits = 0;
			int64_t age = 0;
			bool quoted = p < e && v[p] == '"';

			if (quoted)
				p++;
			for (; p < e && is_digit(v[p]); p++, digits++)
				if (age < FETCH_MAX_AGE_CAP)
					age = age * 10 + (v[p] - '0');
			if (quoted && p < e && v[p] == '"')
				p++;
			if (s + nl >= e || digits == 0 || p != e) {
				x->no_cache = true;
				continue;
			}
			if (age > FETCH_MAX_AGE_CAP)
				age = FETCH_MAX_AGE_CAP;
			if (x->max_age < 0 || age < x->max_age)
				x->max_age = age;
		}
	}
}

/* --------------------------------------------- private: callbacks */

static size_t
on_header(char *p, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb;
	const char *v;
	size_t vlen;

	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		/* A new response: forget the headers of an earlier one. */
		free(x->etag);
		x->etag = NULL;
		x->max_age = -1;
		x->no_cache = false;
	} else if (header_value(p, n, "etag", &v, &vlen)) {
		take_etag(x, v, vlen);
	} else if (header_value(p, n, "cache-control", &v, &vlen)) {
		take_cache_control(x, v, vlen);
	}
	return x->oom ? 0 : n;
}

/*
 * Appends body bytes, refusing (which aborts the transfer) the first byte
 * over max_bytes: the cap holds whether or not the server announced a
 * length, and whatever length it announced.
 */
static size_t
on_body(char *p, size_t size, size_t nmemb, void *arg)
{
	struct xfer *x = arg;
	size_t n = size * nmemb;

	if (n > x->max - x->len) {
		x->too_big = true;
		return 0;
	}
	if (x->len + n + 1 > x->cap) {
		size_t cap = x->cap > 0 ? x->cap : 4096;
		char *nb;

		while (cap < x->len + n + 1)
			cap *= 2;
		if (cap > x->max + 1)
			cap = x->max + 1;
		if ((nb = realloc(x->buf, cap)) == NULL) {
			x->oom = true;
			return 0;
		}
		x->buf = nb;
		x->cap = cap;
	}
	memcpy(x->buf + x->len, p, n);
	x->len += n;
	x->buf[x->len] = '\0';
	return n;
}

/* Stops the transfer when the owner asks (a validator being freed). */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	const struct xfer *x = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return x->stop != NULL && __atomic_load_n(x->stop, __ATOMIC_ACQUIRE);
}

/* ------------------------------------------------ private: the rest */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void
curl_init_once(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Formats "fetching <url>: <reason>" into d. */
static hc_status
fetch_fail(hc_detail *d, hc_status st, const char *url, const char *fmt, ...)
    HC_PRINTF(4, 5);

static hc_status
fetch_fail(hc_detail *d, hc_status st, const char *url, const char *fmt, ...)
{
	char label[HC_FETCH_URL_LABEL_MAX], why[HC_DETAIL_MAX];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return hc_fail(d, st, "fetching %s: %s",
	    hc_fetch_url_label(url, label, sizeof(label)), why);
}

/* The kind of a transfer that libcurl could not complete. */
static const char *
transport_failure(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
		return HC_FETCH_FAIL_CONNECT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return HC_FETCH_FAIL_DNS;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
		return HC_FETCH_FAIL_TLS;
	default:
		return HC_FETCH_FAIL_TRANSPORT;
	}
}

/*
 * libcurl's error text (the specific message when it left one, else the
 * code's generic one), made printable and bounded.
 */
static const char *
curl_reason(CURLcode rc, const char *errbuf, char *out, size_t n)
{
	size_t o;

	(void)snprintf(out, n, "%s", errbuf[0] != '\0' ? errbuf :
	    curl_easy_strerror(rc));
	for (o = 0; out[o] != '\0'; o++)
		if ((unsigned char)out[o] < 0x20 || (unsigned char)out[o] > 0x7e)
			out[o] = '?';
	while (o > 0 && out[o - 1] == '?')
		out[--o] = '\0';
	return out;
}

#define SETOPT(h, opt, val) do { \
	if (curl_easy_setopt((h), (opt), (val)) != CURLE_OK) \
		goto setopt_fail; \
} while (0)

/* ------------------------------------------------------------- API */

hc_status
hc_fetch_url_check(const char *url, bool allow_http, hc_detail *d)
{
	struct url_parts u;

	return url_check(url, allow_http, &u, d);
}

const char *
hc_fetch_url_label(const char *url, char *buf, size_t n)
{
	const char *p, *auth, *at;
	size_t o = 0, alen;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (url == NULL)
		return buf;
	/* scheme:// is copied, then the authority without any userinfo. */
	p = strstr(url, "://");
	auth = p != NULL ? p + 3 : url;
	alen = strcspn(auth, "/?#");
	at = memchr(auth, '@', alen);
	for (p = url; *p != '\0' && *p != '?' && *p != '#' && o + 1 < n; p++) {
		if (at != NULL && p == auth)
			p = at + 1;
		if (*p == '\0' || *p == '?' || *p == '#')
			break;
		buf[o++] = (*p >= 0x21 && *p <= 0x7e) ? *p : '?';
	}
	buf[o] = '\0';
	if (*p != '\0' && *p != '?' && *p != '#' && n >= 4) {
		o = o > n - 4 ? n - 4 : o;
		memcpy(buf + o, "...", 4);
	}
	return buf;
}

void
hc_fetch_resp_clear(hc_fetch_resp *resp)
{
	if (resp == NULL)
		return;
	free(resp->body);
	free(resp->etag);
	memset(resp, 0, sizeof(*resp));
	resp->max_age = -1;
}

hc_status
hc_fetch(const hc_fetch_req *req, hc_fetch_resp *out, hc_detail *d)
{
	char errbuf[CURL_ERROR_SIZE], reason[FETCH_CURL_ERR_MAX];
	char inm[HC_FETCH_MAX_ETAG_BYTES + 32];
	const hc_fetch_policy *lim = req->limits;
	struct curl_slist *hdrs = NULL, *nh;
	struct url_parts u;
	struct xfer x;
	CURLU *cu = NULL;
	CURL *h = NULL;
	CURLcode rc;
	hc_status st;
	long code = 0;

	memset(out, 0, sizeof(*out));
	out->max_age = -1;
	memset(&x, 0, sizeof(x));
	x.max = lim->max_bytes;
	x.max_age = -1;
	x.stop = req->stop;
	errbuf[0] = '\0';

	if ((st = url_check(req->url, req->allow_insecure_http, &u, d)) !=
	    HC_OK) {
		hc_detail why = *d;
		out->failure = HC_FETCH_FAIL_URL;
		return fetch_fail(d, st, req->url, "%s", why.text);
	}
	(void)pthread_once(&curl_once, curl_init_once);
	out->failure = HC_FETCH_FAIL_INTERNAL;
	if (curl_init_rc != CURLE_OK)
		return fetch_fail(d, HC_INTERNAL, req->url, "libcurl could not "
		    "be initialised: %s", curl_easy_strerror(curl_init_rc));
	if ((st = url_agree(req->url, &u, &cu, d)) != HC_OK) {
		hc_detail why = *d;
		if (st != HC_INTERNAL)
			out->failure = HC_FETCH_FAIL_URL;
		return fetch_fail(d, st, req->url, "%s", why.text);
	}
	if ((h = curl_easy_init()) == NULL) {
		st = fetch_fail(d, HC_INTERNAL, req->url, "out of memory");
		goto done;
	}
	nh = curl_slist_append(hdrs, "Accept: application/json, "
	    "application/jwk-set+json");
	if (nh == NULL)
		goto oom;
	hdrs = nh;
	if (req->etag != NULL) {
		/* take_etag() admitted visible ASCII only: no header splitting. */
		(void)snprintf(inm, sizeof(inm), "If-None-Match: %s", req->etag);
		if ((nh = curl_slist_append(hdrs, inm)) == NULL)
			goto oom;
		hdrs = nh;
	}

	SETOPT(h, CURLOPT_CURLU, cu);
	SETOPT(h, CURLOPT_HTTPGET, 1L);
	SETOPT(h, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
	SETOPT(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	SETOPT(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	/* A redirect could leave the rules above; it is a failure instead. */
	SETOPT(h, CURLOPT_FOLLOWLOCATION, 0L);
	SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
	SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_file != NULL)
		SETOPT(h, CURLOPT_CAINFO, req->ca_file);
	if (is_loopback(&u))
		SETOPT(h, CURLOPT_PROXY, "");
	SETOPT(h, CURLOPT_CONNECTTIMEOUT_MS, (long)lim->connect_timeout_ms);
	SETOPT(h, CURLOPT_TIMEOUT_MS, (long)lim->timeout_ms);
	SETOPT(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)lim->max_bytes);
	SETOPT(h, CURLOPT_HTTPHEADER, hdrs);
	SETOPT(h, CURLOPT_USERAGENT, "hopcheck/" HC_VERSION);
	SETOPT(h, CURLOPT_ERRORBUFFER, errbuf);
	SETOPT(h, CURLOPT_WRITEFUNCTION, on_body);
	SETOPT(h, CURLOPT_WRITEDATA, &x);
	SETOPT(h, CURLOPT_HEADERFUNCTION, on_header);
	SETOPT(h, CURLOPT_HEADERDATA, &x);
	SETOPT(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	SETOPT(h, CURLOPT_XFERINFODATA, &x);
	SETOPT(h, CURLOPT_NOPROGRESS, 0L);

	rc = curl_easy_perform(h);
	(void)curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	out->http_status = code;
	if (x.oom)
		goto oom;
	if (x.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		out->failure = HC_FETCH_FAIL_TOO_LARGE;
		st = fetch_fail(d, HC_UNAVAILABLE, req->url, "response is "
		    "larger than fetch.max_bytes (%zu)", lim->max_bytes);
		goto done;
	}
	if (rc == CURLE_OPERATION_TIMEDOUT) {
		out->failure = HC_FETCH_FAIL_TIMEOUT;
		st = fetch_fail(d, HC_UNAVAILABLE, req->url, "timed out "
		    "(fetch.connect_timeout_ms %lld, fetch.timeout_ms %lld)",
		    (long long)lim->connect_timeout_ms,
		    (long long)lim->timeout_ms);
		goto done;
	}
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		out->failure = HC_FETCH_FAIL_STOPPED;
		st = fetch_fail(d, HC_UNAVAILABLE, req->url, "stopped: the "
		    "validator is being freed");
		goto done;
	}
	if (rc != CURLE_OK) {
		out->failure = transport_failure(rc);
		st = fetch_fail(d, HC_UNAVAILABLE, req->url, "%s",
		    curl_reason(rc, errbuf, reason, sizeof(reason)));
		goto done;
	}
	if (code == 304 && req->etag != NULL) {
		out->failure = NULL;
		st = HC_OK;
	} else if (code == 200) {
		if (x.buf == NULL && (x.buf = calloc(1, 1)) == NULL)
			goto oom;
		out->body = x.buf;
		out->len = x.len;
		x.buf = NULL;
		out->failure = NULL;
		st = HC_OK;
	} else if (code >= 300 && code < 400) {
		out->failure = HC_FETCH_FAIL_REDIRECT;
		st = fetch_fail(d, HC_UNAVAILABLE, req->url, "HTTP %ld "
		    "(redirects are not followed; configure the final URL)",
		    code);
	} else {
		out->failure = HC_FETCH_FAIL_HTTP_STATUS;
		st = fetch_fail(d, HC_UNAVAILABLE, req->url, "HTTP %ld", code);
	}
	if (st == HC_OK) {
		out->etag = x.etag;
		x.etag = NULL;
		out->max_age = x.max_age;
		out->no_cache = x.no_cache;
	}
	goto done;

setopt_fail:
	st = fetch_fail(d, HC_INTERNAL, req->url, "libcurl refused an option "
	    "(built without http or TLS support?)");
	goto done;
oom:
	out->failure = HC_FETCH_FAIL_INTERNAL;
	st = fetch_fail(d, HC_INTERNAL, req->url, "out of memory");
done:
	curl_easy_cleanup(h);
	curl_url_cleanup(cu);
	curl_slist_free_all(hdrs);
	free(x.buf);
	free(x.etag);
	return st;
}
