/* SPDX-License-Identifier: Apache-2.0 */
/*
 * example.c - a service's use of the installed libhopcheck, built by
 * tests/integration/install.sh with `pkg-config --cflags --libs hopcheck`
 * against `make install DESTDIR=...`: validate one token for a route and
 * print the verdict.  Usage: example CONF TOKEN NOW
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hopcheck.h>

int
main(int argc, char **argv)
{
	hc_validator *v;
	hc_request *req;
	hc_result *res;
	char *errors;
	hc_status st;

	if (argc != 4)
		return 2;
	if (hc_validator_new_from_file(argv[1], &v, &errors) != HC_OK) {
		fprintf(stderr, "%s\n", errors ? errors : "configuration error");
		hc_string_free(errors);
		return 2;
	}
	if ((req = hc_request_new()) == NULL)
		return 2;
	hc_request_set_time(req, strtoll(argv[3], NULL, 10));
	st = hc_validate(v, argv[2], strlen(argv[2]), req, &res);
	printf("%s %s %s\n", hc_version(), hc_status_name(st),
	    st == HC_OK ? hc_result_subject(res) : hc_result_detail(res));
	hc_result_free(res);
	hc_request_free(req);
	hc_validator_free(v);
	return st == HC_OK ? 0 : 1;
}
