/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mem.c - heap accounting for the benchmark.
 *
 * The benchmark binary defines malloc, calloc, realloc, free and the
 * aligned allocators itself (the replacement glibc documents in "Replacing
 * malloc"), forwarding each to glibc's own allocator through its
 * __libc_* entry points.  Because the executable defines them, every
 * library in the process (hopcheck, mbedTLS, OpenSSL, libjwt, jansson,
 * cJSON) allocates through them, and while counting is on they record the
 * number of calls, the bytes asked for, and the highest live heap
 * (malloc_usable_size of the blocks) above the level where counting
 * started.  Counting is off while timing, so the timed loops pay one
 * predictable branch per call, the same for every implementation.
 *
 * The counters are plain variables: the benchmark measures memory on one
 * thread, and none of the libraries starts a thread of its own here.
 */
#include <errno.h>
#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "bench.h"

/* glibc's allocator, under the names it exports for replacements. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);
extern void *__libc_memalign(size_t align, size_t n);

static int counting;
static uint64_t n_allocs;
static uint64_t n_bytes;
static int64_t live;            /* may go below zero: older blocks freed */
static int64_t peak;

static void
note_alloc(void *p, size_t asked)
{
	if (!counting || p == NULL)
		return;
	n_allocs++;
	n_bytes += asked;
	live += (int64_t)malloc_usable_size(p);
	if (live > peak)
		peak = live;
}

static void
note_free(void *p)
{
	if (!counting || p == NULL)
		return;
	live -= (int64_t)malloc_usable_size(p);
}

void *
malloc(size_t n)
{
	void *p = __libc_malloc(n);

	note_alloc(p, n);
	return p;
}

void *
calloc(size_t n, size_t size)
{
	void *p = __libc_calloc(n, size);

	note_alloc(p, n * size);        /* glibc refused an overflow: p NULL */
	return p;
}

void *
realloc(void *old, size_t n)
{
	void *p;

	if (old != NULL && n == 0) {
		note_free(old);
		__libc_free(old);
		return NULL;
	}
	/* Account the old block only once the move has succeeded. */
	if (old != NULL && counting) {
		int64_t was = (int64_t)malloc_usable_size(old);

		if ((p = __libc_realloc(old, n)) == NULL)
			return NULL;
		live -= was;
		note_alloc(p, n);
		return p;
	}
	p = __libc_realloc(old, n);
	note_alloc(p, n);
	return p;
}

void
free(void *p)
{
	note_free(p);
	__libc_free(p);
}

void *
memalign(size_t align, size_t n)
{
	void *p = __libc_memalign(align, n);

	note_alloc(p, n);
	return p;
}

void *
aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int
posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	if ((p = memalign(align, n)) == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}

/* Starts counting from zero; the current live heap is the base line. */
void
bench_mem_start(void)
{
	n_allocs = 0;
	n_bytes = 0;
	live = 0;
	peak = 0;
	counting = 1;
}

/* Stops counting and returns what was counted since bench_mem_start(). */
void
bench_mem_stop(struct bench_mem *out)
{
	counting = 0;
	out->allocs = n_allocs;
	out->bytes = n_bytes;
	out->peak = peak > 0 ? (uint64_t)peak : 0;
}
