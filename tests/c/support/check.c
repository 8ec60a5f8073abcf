#define _POSIX_C_SOURCE 200809L

#include "check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned checks_run;
static unsigned checks_failed;
static const char *context;

void check_context(const char *label) {
    context = label;
}

static bool record(bool ok, const char *file, int line, const char *what) {
    checks_run++;
    if (!ok) {
        checks_failed++;
        fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
        if (context != NULL) {
            fprintf(stderr, "    case: %s\n", context);
        }
    }
    return ok;
}

bool check_true(bool ok, const char *what, const char *file, int line) {
    return record(ok, file, line, what);
}

bool check_result(ferrolog_result actual, ferrolog_result expected, const char *what,
                  const char *file, int line) {
    if (!record(actual == expected, file, line, what)) {
        fprintf(stderr, "    got %d (%s), expected %d (%s)\n", (int)actual,
                ferrolog_result_str(actual), (int)expected, ferrolog_result_str(expected));
    }
    return actual == expected;
}

bool check_u64(uint64_t actual, uint64_t expected, const char *what, const char *file, int line) {
    if (!record(actual == expected, file, line, what)) {
        fprintf(stderr, "    got %llu, expected %llu\n", (unsigned long long)actual,
                (unsigned long long)expected);
    }
    return actual == expected;
}

bool check_contains(const char *text, const char *part, const char *what, const char *file,
                    int line) {
    bool ok = text != NULL && strstr(text, part) != NULL;
    if (!record(ok, file, line, what)) {
        fprintf(stderr, "    \"%s\" does not contain \"%s\"\n", text ? text : "(null)", part);
    }
    return ok;
}

int check_finish(void) {
    fprintf(stderr, "%u checks, %u failed\n", checks_run, checks_failed);
    /* A test that checked nothing proves nothing. */
    return checks_failed == 0 && checks_run > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

const char *required_env(const char *name) {
    const char *value = getenv(name);
    if (value == NULL || *value == '\0') {
        fprintf(stderr, "%s is not set; run the tests through tests/c/run.sh\n", name);
        exit(2);
    }
    return value;
}

double monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

void sleep_ms(unsigned milliseconds) {
    struct timespec pause = {(time_t)(milliseconds / 1000), (long)(milliseconds % 1000) * 1000000L};
    /* A signal cuts the sleep short and leaves what is left in `pause`. */
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
    }
}

uint64_t stats_counter(const ferrolog_stats *stats, const char *name) {
    uint64_t value = 0;
    CHECK_RESULT(ferrolog_stats_get(stats, name, strlen(name), &value), FERROLOG_OK);
    return value;
}

uint64_t client_counter(const ferrolog_client *client, const char *name) {
    ferrolog_stats *stats = NULL;
    uint64_t value = 0;
    if (CHECK_RESULT(ferrolog_client_stats(client, &stats), FERROLOG_OK)) {
        value = stats_counter(stats, name);
    }
    ferrolog_stats_free(stats);
    return value;
}

ferrolog_client *start_client(const struct test_option *options, size_t count) {
    ferrolog_config *config = NULL;
    ferrolog_client *client = NULL;
    ferrolog_error *error = NULL;
    CHECK_RESULT(ferrolog_config_new(&config), FERROLOG_OK);
    for (size_t i = 0; i < count; i++) {
        const char *key = options[i].key;
        const char *value = options[i].value;
        ferrolog_result result =
            ferrolog_config_set(config, key, strlen(key), value, strlen(value), &error);
        if (!CHECK_RESULT(result, FERROLOG_OK)) {
            fprintf(stderr, "    %s\n", ferrolog_error_message(error));
            ferrolog_error_free(error);
            error = NULL;
        }
    }
    if (!CHECK_RESULT(ferrolog_client_new(config, &client, &error), FERROLOG_OK)) {
        fprintf(stderr, "    %s\n", ferrolog_error_message(error));
        ferrolog_error_free(error);
    }
    /* The client keeps its own copy of the options. */
    ferrolog_config_free(config);
    return client;
}
