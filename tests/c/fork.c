/*
 * A fork while a worker is in the middle of a flush: the child logs through the client it
 * inherited, its entries arrive, and it never sends the parent's; the parent's flush goes on
 * undisturbed. Both processes account only for their own entries. A child that only frees
 * the client leaves at once: it never waits on the parent's workers.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "collector.h"
#include "ferrolog.h"

#define PARENT_ENTRIES 20
#define CHILD_ENTRIES 10
/* Long enough that the fork lands while the parent's request waits for its answer. */
#define ANSWER_DELAY "600"

static char run_tag[32];

struct flush_call {
    ferrolog_client *client;
    ferrolog_result result;
};

static void *flush_in_background(void *argument) {
    struct flush_call *call = argument;
    call->result = ferrolog_client_flush(call->client, 10000, NULL);
    return NULL;
}

static void log_tagged(ferrolog_logger *logger, const char *who, int count) {
    for (int i = 0; i < count; i++) {
        char message[64];
        int length = snprintf(message, sizeof message, "%s %s %d", run_tag, who, i);
        CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, message, (size_t)length, "", 0),
                     FERROLOG_OK);
    }
}

static size_t entries_of(const char *who) {
    char filter[64];
    snprintf(filter, sizeof filter, "text=%s %s ", run_tag, who);
    char *lines = collector_entries(filter);
    size_t count = lines ? count_lines(lines) : 0;
    free(lines);
    return count;
}

/* The child's whole life: its own entries, delivered, counted as its own. */
static int run_child(ferrolog_client *client, ferrolog_logger *logger) {
    log_tagged(logger, "child", CHILD_ENTRIES);
    CHECK_RESULT(ferrolog_client_flush(client, 5000, NULL), FERROLOG_OK);
    CHECK_U64(client_counter(client, "sent"), CHILD_ENTRIES);
    CHECK_RESULT(ferrolog_client_shutdown(client, 2000, NULL), FERROLOG_OK);
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
    return check_finish();
}

/* Forks a child that frees the inherited client straight away; true if it left in time. */
static bool child_frees_at_once(ferrolog_client *client, ferrolog_logger *logger) {
    double start = monotonic_seconds();
    pid_t child = fork();
    if (child == 0) {
        ferrolog_logger_free(logger);
        ferrolog_client_free(client);
        _exit(0);
    }
    int status = 1;
    bool reaped = child > 0 && waitpid(child, &status, 0) == child;
    return reaped && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
           monotonic_seconds() - start < 5.0;
}

int main(void) {
    snprintf(run_tag, sizeof run_tag, "fork-%ld:", (long)getpid());
    char fault[64];
    snprintf(fault, sizeof fault, "{\"delay_ms\":%s,\"count\":1}", ANSWER_DELAY);
    CHECK(collector_request("POST", "/api/faults", fault));
    const struct test_option options[] = {
        {"api_key", "test-key"},
        {"endpoint", required_env("FERROLOG_TEST_ENDPOINT")},
        {"flush_interval", "60"},
        {"worker_count", "1"},
    };
    ferrolog_client *client = start_client(options, COUNT(options));
    ferrolog_logger *logger = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);
    log_tagged(logger, "parent", PARENT_ENTRIES);

    struct flush_call flush = {client, FERROLOG_PANIC};
    pthread_t flusher;
    CHECK(pthread_create(&flusher, NULL, flush_in_background, &flush) == 0);
    sleep_ms(200);

    pid_t child = fork();
    if (child == 0) {
        _exit(run_child(client, logger));
    }
    CHECK(child > 0);
    int status = 0;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    CHECK(child_frees_at_once(client, logger));

    CHECK(pthread_join(flusher, NULL) == 0);
    CHECK_RESULT(flush.result, FERROLOG_OK);
    CHECK_U64(client_counter(client, "sent"), PARENT_ENTRIES);
    CHECK_RESULT(ferrolog_client_shutdown(client, 2000, NULL), FERROLOG_OK);
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);

    CHECK_U64(entries_of("parent"), PARENT_ENTRIES);
    CHECK_U64(entries_of("child"), CHILD_ENTRIES);
    return check_finish();
}
