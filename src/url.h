/* SPDX-License-Identifier: Apache-2.0 */
/*
 * url.h - what "a loopback host" means, and splitting HOST[:PORT].
 *
 * Several places let something through only when it stays on this machine:
 * plain http:// to a key source (config.c, fetch.c), the Redis replay store
 * (replay.c), the daemon's TCP listener (config.c, daemon/listen.c).  They
 * all ask hc_host_is_loopback(), so that a host one of them accepts is never
 * refused by another, and the other way round.
 *
 * The rule.  A host, as written, is loopback if and only if it is
 *
 *  - an IPv4 literal in 127.0.0.0/8 written as exactly four decimal octets
 *    0..255 separated by '.', without leading zeros ("127.0.0.1",
 *    "127.255.255.254"; not "127.1", "0177.0.0.1", "0x7f.0.0.1",
 *    "127.000.0.1" or "127.0.0.1.5"): the short, octal and hex spellings
 *    are read differently by different resolvers, so none of them counts;
 *  - the IPv6 literal "::1", bare or in the brackets a URL puts around it
 *    ("[::1]"), and no other spelling of that address;
 *  - the name "localhost" in any letter case ("LocalHost"), and nothing
 *    longer: not "localhost." and not "localhost.example".
 *
 * Important caveats (what is NOT checked):
 *
 *  - An IPv4-mapped IPv6 address ("::ffff:127.0.0.1") is NOT loopback here,
 *    nor is "0:0:0:0:0:0:0:1": one spelling per address keeps the rule
 *    short and the same everywhere.
 *  - Nothing is resolved: "localhost" is taken on its name.  A caller that
 *    binds or connects (daemon/listen.c) also checks what it resolved to.
 *  - A bracketed IPv4 address ("[127.0.0.1]") is not loopback: brackets
 *    hold IPv6 literals only (RFC 3986 section 3.2.2).
 */
#ifndef HC_URL_H
#define HC_URL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Whether the `len` bytes at `host` (no NUL needed; no port) are a loopback
 * host by the rule above.  False for NULL, an empty host, or anything else.
 */
bool hc_host_is_loopback(const char *host, size_t len);

/* "HOST[:PORT]" or "[V6][:PORT]", split by hc_hostport_split(). */
typedef struct hc_hostport {
	const char *host;        /* into the input, without brackets */
	size_t hlen;             /* never 0 after a successful split */
	bool bracketed;          /* written as [..] */
	bool has_port;
	unsigned port;           /* 1..65535, or 0 when no port is given */
} hc_hostport;

/*
 * Splits the `n` bytes at `s`, "HOST[:PORT]" or "[V6][:PORT]", into *out.
 * A port is "1".."65535" in decimal without a leading zero.  Returns false
 * when the shape is wrong (no host, an unclosed '[', bytes after ']' other
 * than ":PORT", a bad port).  The host itself is not checked.
 */
bool hc_hostport_split(const char *s, size_t n, hc_hostport *out);

/* hc_host_is_loopback() of a split host, brackets included when written. */
bool hc_hostport_is_loopback(const hc_hostport *hp);

#endif /* HC_URL_H */
