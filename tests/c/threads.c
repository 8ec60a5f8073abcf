/*
 * Four threads share one logger. With overflow=block and a queue smaller than the burst, every
 * entry waits for room instead of being dropped, so all of them reach the collector, once each.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "collector.h"
#include "ferrolog.h"

#define THREADS 4
#define PER_THREAD 5000
#define TOTAL (THREADS * PER_THREAD)

/* Starts every message, so the collector query finds this run's entries and no others; it ends
 * in ':' so that no run's tag is a prefix of another's. */
static char run_tag[32];

struct producer {
    pthread_t thread;
    const ferrolog_logger *logger;
    int index;
    /* Log calls that did not return FERROLOG_OK; the checks are not thread-safe. */
    unsigned refused;
};

static void *produce(void *arg) {
    struct producer *producer = (struct producer *)arg;
    char index[16];
    snprintf(index, sizeof index, "%d", producer->index);
    const ferrolog_attribute attributes[] = {{S("thread"), index, strlen(index)}};
    for (int i = 0; i < PER_THREAD; i++) {
        char message[64];
        int length = snprintf(message, sizeof message, "%s %d %d", run_tag, producer->index, i);
        if (ferrolog_log_kv(producer->logger, FERROLOG_LEVEL_INFO, message, (size_t)length,
                            attributes, 1) != FERROLOG_OK) {
            producer->refused++;
        }
    }
    return NULL;
}

/* Counts the collector's lines that are this run's entries, each (thread, i) once and with
 * its thread attribute; reports the first few lines that are not. */
static unsigned count_delivered(const char *lines) {
    static bool seen[THREADS][PER_THREAD];
    char prefix[64];
    int prefix_length = snprintf(prefix, sizeof prefix, "[7,\"%s ", run_tag);
    unsigned delivered = 0;
    unsigned reported = 0;
    const char *line = lines;
    while (*line != '\0') {
        size_t length = strcspn(line, "\n");
        int thread = -1;
        int index = -1;
        int attribute = -2;
        int end = 0;
        /* sscanf measures the whole string it reads, so it gets one line, not all of them. */
        char copy[256];
        if (length < sizeof copy && strncmp(line, prefix, (size_t)prefix_length) == 0) {
            memcpy(copy, line, length);
            copy[length] = '\0';
            sscanf(copy + prefix_length, "%d %d\",{\"thread\":\"%d\"},\"threads\",\"log\"]%n",
                   &thread, &index, &attribute, &end);
        }
        bool valid = end > 0 && (size_t)(prefix_length + end) == length && thread == attribute &&
                     thread >= 0 && thread < THREADS && index >= 0 && index < PER_THREAD;
        if (valid && !seen[thread][index]) {
            seen[thread][index] = true;
            delivered++;
        } else if (reported++ < 5) {
            fprintf(stderr, "unexpected or repeated: %.*s\n", (int)length, line);
        }
        line += length + (line[length] == '\n');
    }
    return delivered;
}

int main(void) {
    snprintf(run_tag, sizeof run_tag, "threads-%ld:", (long)getpid());
    const struct test_option options[] = {
        {"api_key", "test-key"},
        {"endpoint", required_env("FERROLOG_TEST_ENDPOINT")},
        {"environment", "threads"},
        {"overflow", "block"},
        {"queue_size", "1000"},
        {"batch_size", "500"},
        /* Far longer than a batch takes, even under valgrind: a refusal here is a bug. */
        {"block_timeout", "60"},
    };
    ferrolog_client *client = start_client(options, COUNT(options));
    ferrolog_logger *logger = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);

    struct producer producers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        producers[t].logger = logger;
        producers[t].index = t;
        producers[t].refused = 0;
        CHECK(pthread_create(&producers[t].thread, NULL, produce, &producers[t]) == 0);
    }
    for (int t = 0; t < THREADS; t++) {
        CHECK(pthread_join(producers[t].thread, NULL) == 0);
        CHECK_U64(producers[t].refused, 0);
    }

    uint64_t left = 0;
    CHECK_RESULT(ferrolog_client_flush(client, 60000, &left), FERROLOG_OK);
    CHECK_U64(left, 0);
    ferrolog_stats *stats = NULL;
    CHECK_RESULT(ferrolog_client_stats(client, &stats), FERROLOG_OK);
    CHECK_U64(stats_counter(stats, "accepted"), TOTAL);
    CHECK_U64(stats_counter(stats, "sent"), TOTAL);
    CHECK_U64(stats_counter(stats, "dropped"), 0);
    ferrolog_stats_free(stats);

    char filter[64];
    snprintf(filter, sizeof filter, "text=%s", run_tag);
    char *lines = collector_entries(filter);
    if (CHECK(lines != NULL)) {
        CHECK_U64(count_lines(lines), TOTAL);
        CHECK_U64(count_delivered(lines), TOTAL);
    }
    free(lines);

    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, &left), FERROLOG_OK);
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
    return check_finish();
}
