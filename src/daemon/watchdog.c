/* SPDX-License-Identifier: Apache-2.0 */
/*
 * watchdog.c - the thread that cuts connections past their deadline.
 *
 * The watched connections are a doubly linked list under one mutex; the
 * thread scans it every HCD_WD_TICK_MS (a list of at most a few thousand
 * entries, so a scan costs microseconds) and shuts down each socket whose
 * deadline has passed, once.  Deadlines are monotonic seconds.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "connstats.h"
#include "endpoints.h"
#include "watchdog.h"

/* How often the deadlines are looked at: the precision of a cut. */
#define HCD_WD_TICK_MS 100

struct hcd_watchdog {
	pthread_mutex_t lock;         /* guards everything below */
	pthread_cond_t wake;          /* stop */
	hcd_wd_entry *head;
	bool stop;
	pthread_t thread;
};

static double
deadline_of(long after_ms)
{
	return after_ms > 0 ? hcd_now() + (double)after_ms / 1000.0 : 0.0;
}

/* The thread: cuts what is late, sleeps a tick, until told to stop. */
static void *
watch(void *arg)
{
	hcd_watchdog *w = arg;
	struct timespec until;
	double now;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		now = hcd_now();
		for (hcd_wd_entry *e = w->head; e != NULL; e = e->next) {
			if (e->cut || e->deadline == 0.0 || e->deadline > now)
				continue;
			e->cut = true;
			(void)shutdown(e->fd, SHUT_RDWR);
			hcd_connstats_timeout();
		}
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += HCD_WD_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		(void)pthread_cond_timedwait(&w->wake, &w->lock, &until);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

hcd_watchdog *
hcd_watchdog_start(char *err, size_t errlen)
{
	pthread_condattr_t ca;
	hcd_watchdog *w;
	int rc;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		(void)snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_condattr_destroy(&ca);
	if ((rc = pthread_create(&w->thread, NULL, watch, w)) != 0) {
		(void)snprintf(err, errlen, "the connection watchdog thread "
		    "could not start: %s", strerror(rc));
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

void
hcd_watchdog_add(hcd_watchdog *w, hcd_wd_entry *e, int fd, long after_ms)
{
	e->fd = fd;
	e->cut = false;
	e->prev = NULL;
	pthread_mutex_lock(&w->lock);
	e->deadline = deadline_of(after_ms);
	e->next = w->head;
	if (w->head != NULL)
		w->head->prev = e;
	w->head = e;
	pthread_mutex_unlock(&w->lock);
}

void
hcd_watchdog_set(hcd_watchdog *w, hcd_wd_entry *e, long after_ms)
{
	pthread_mutex_lock(&w->lock);
	e->deadline = deadline_of(after_ms);
	pthread_mutex_unlock(&w->lock);
}

void
hcd_watchdog_remove(hcd_watchdog *w, hcd_wd_entry *e)
{
	pthread_mutex_lock(&w->lock);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		w->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	e->prev = e->next = NULL;
	pthread_mutex_unlock(&w->lock);
}

void
hcd_watchdog_stop(hcd_watchdog *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	(void)pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
