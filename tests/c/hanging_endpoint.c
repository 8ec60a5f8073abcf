/*
 * Deadlines hold against an endpoint that accepts requests and never answers: flush and
 * shutdown return on time, say what is still owed, and every entry is accounted for.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>

#include "check.h"
#include "collector.h"
#include "ferrolog.h"

#define ENTRIES 10
#define DEADLINE_MS 300
/* Far above the deadline: this catches a wait that ignores its deadline, and leaves the real
 * bar to the benchmark, which is not slowed down by valgrind. */
#define BOUND_SECONDS 3.0

typedef ferrolog_result (*deadline_call)(const ferrolog_client *, uint64_t, uint64_t *);

/* Runs flush or shutdown with the deadline; returns how long it took, in seconds. */
static double timed(deadline_call call, const ferrolog_client *client, ferrolog_result *result,
                    uint64_t *left) {
    double start = monotonic_seconds();
    *result = call(client, DEADLINE_MS, left);
    double elapsed = monotonic_seconds() - start;
    fprintf(stderr, "%s after %.3f s, %llu left\n", ferrolog_result_str(*result), elapsed,
            (unsigned long long)*left);
    return elapsed;
}

int main(void) {
    CHECK(collector_request("POST", "/api/faults", "{\"hang\":true,\"count\":100}"));
    const struct test_option options[] = {
        {"api_key", "test-key"},
        {"endpoint", required_env("FERROLOG_TEST_ENDPOINT")},
        /* Far beyond every deadline here: the deadlines, not the request timeout, end waits. */
        {"http_timeout", "30"},
        /* Nothing leaves before the flush asks. */
        {"flush_interval", "60"},
    };
    ferrolog_client *client = start_client(options, COUNT(options));
    ferrolog_logger *logger = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);
    for (int i = 0; i < ENTRIES; i++) {
        CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, S("never answered"), NULL, 0),
                     FERROLOG_OK);
    }

    ferrolog_result result;
    uint64_t left = 0;
    double elapsed = timed(ferrolog_client_flush, client, &result, &left);
    CHECK_RESULT(result, FERROLOG_TIMEOUT);
    CHECK(left > 0);
    CHECK(elapsed < BOUND_SECONDS);
    /* It waited for its deadline rather than giving up early. */
    CHECK(elapsed >= DEADLINE_MS / 1000.0 * 0.9);

    /* Shutdown drops what it cannot deliver by its deadline, cancelling the request still
     * waiting on the endpoint, and says so: a timeout, with nothing left in flight. */
    elapsed = timed(ferrolog_client_shutdown, client, &result, &left);
    CHECK_RESULT(result, FERROLOG_TIMEOUT);
    CHECK_U64(left, 0);
    CHECK(elapsed < BOUND_SECONDS);
    ferrolog_stats *stats = NULL;
    CHECK_RESULT(ferrolog_client_stats(client, &stats), FERROLOG_OK);
    uint64_t accepted = stats_counter(stats, "accepted");
    uint64_t sent = stats_counter(stats, "sent");
    uint64_t dropped = stats_counter(stats, "dropped");
    uint64_t queued = stats_counter(stats, "queued");
    CHECK_U64(accepted, ENTRIES);
    CHECK_U64(sent, 0);
    CHECK_U64(accepted, sent + dropped + queued);
    /* The request in flight was cancelled, so nothing is owed any more. */
    CHECK_U64(queued, 0);
    /* Every drop has its reason: the request that timed out, or the shutdown itself. */
    CHECK_U64(dropped,
              stats_counter(stats, "network_error") + stats_counter(stats, "shutdown"));
    ferrolog_stats_free(stats);

    CHECK(collector_request("DELETE", "/api/faults", NULL));
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
    return check_finish();
}
