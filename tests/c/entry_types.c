/*
 * The non-log entry calls from C: each type arrives with its kind, and every bad argument is
 * refused with its result code before anything is queued.
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "collector.h"
#include "ferrolog.h"

/* A string literal as a ferrolog_str. */
#define STR(literal) ((ferrolog_str){(literal), sizeof(literal) - 1})
static const ferrolog_str none = {NULL, 0};

static char run_tag[32];
static char names[5][64];

/* `suffix` prefixed with this run's tag, kept in names[slot] for the collector check. */
static ferrolog_str tagged(int slot, const char *suffix) {
    int length = snprintf(names[slot], sizeof names[slot], "%s%s", run_tag, suffix);
    return (ferrolog_str){names[slot], (size_t)length};
}

static void send_one_of_each(const ferrolog_logger *logger) {
    CHECK_RESULT(ferrolog_metric(logger, FERROLOG_METRIC_COUNTER, tagged(0, "requests"), 3.0,
                                 STR("1"), STR("{\"route\":\"/a\"}")),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_event(logger, tagged(1, "signup"), none), FERROLOG_OK);
    CHECK_RESULT(ferrolog_audit(logger, tagged(2, "delete"), STR("u-1"), none, STR("invoice"),
                                STR("inv-9"), none, none),
                 FERROLOG_OK);
    const ferrolog_reading readings[] = {{STR("temp"), 21.5, STR("C")}, {STR("rpm"), 900, none}};
    CHECK_RESULT(ferrolog_telemetry(logger, tagged(3, "sensor"), readings, COUNT(readings), false,
                                    none),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_span_record(logger, STR("4bf92f3577b34da6a3ce929d0e0e4736"),
                                      STR("00f067aa0ba902b7"), none, STR("http.server"),
                                      tagged(4, "GET /"), 1000, 2000000, false, none),
                 FERROLOG_OK);
}

static void check_arrived(void) {
    static const char *kinds[] = {"metric", "event", "audit", "telemetry", "trace"};
    char filter[64];
    snprintf(filter, sizeof filter, "text=%s", run_tag);
    char *lines = collector_entries(filter);
    CHECK(lines != NULL);
    if (lines == NULL) return;
    CHECK_U64(count_lines(lines), COUNT(kinds));
    for (size_t i = 0; i < COUNT(kinds); i++) {
        char kind[32];
        snprintf(kind, sizeof kind, "\"%s\"]", kinds[i]);
        check_context(kinds[i]);
        CHECK_CONTAINS(lines, names[i]);
        CHECK_CONTAINS(lines, kind);
    }
    check_context(NULL);
    free(lines);
}

static void check_refusals(const ferrolog_logger *logger) {
    const ferrolog_str bad_utf8 = {"\xff", 1};
    const ferrolog_str dangling = {NULL, 3};
    const ferrolog_reading nan_reading[] = {{STR("x"), NAN, none}};
    CHECK_RESULT(ferrolog_metric(NULL, FERROLOG_METRIC_GAUGE, STR("m"), 1, none, none),
                 FERROLOG_NULL_ARGUMENT);
    CHECK_RESULT(ferrolog_metric(logger, 0, STR("m"), 1, none, none), FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_metric(logger, FERROLOG_METRIC_GAUGE, STR("m"), NAN, none, none),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_metric(logger, FERROLOG_METRIC_GAUGE, STR("m"), INFINITY, none, none),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_metric(logger, FERROLOG_METRIC_GAUGE, bad_utf8, 1, none, none),
                 FERROLOG_INVALID_UTF8);
    CHECK_RESULT(ferrolog_event(logger, dangling, none), FERROLOG_NULL_ARGUMENT);
    CHECK_RESULT(ferrolog_event(logger, STR("e"), STR("[1]")), FERROLOG_INVALID_JSON);
    CHECK_RESULT(ferrolog_audit(logger, STR("a"), bad_utf8, none, none, none, none, none),
                 FERROLOG_INVALID_UTF8);
    CHECK_RESULT(ferrolog_telemetry(logger, STR("d"), NULL, 2, false, none),
                 FERROLOG_NULL_ARGUMENT);
    CHECK_RESULT(ferrolog_telemetry(logger, STR("d"), nan_reading, 1, true, none),
                 FERROLOG_INVALID_ARGUMENT);
    const ferrolog_str zero_trace = STR("00000000000000000000000000000000");
    const ferrolog_str short_trace = STR("4bf92f35");
    const ferrolog_str trace = STR("4bf92f3577b34da6a3ce929d0e0e4736");
    const ferrolog_str span = STR("00f067aa0ba902b7");
    CHECK_RESULT(ferrolog_span_record(logger, zero_trace, span, none, none, STR("s"), 0, 1, false,
                                      none),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_span_record(logger, short_trace, span, none, none, STR("s"), 0, 1, false,
                                      none),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_span_record(logger, trace, STR("zz"), none, none, STR("s"), 0, 1, false,
                                      none),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_span_record(logger, trace, span, none, none, STR("s"), 5, 4, false, none),
                 FERROLOG_INVALID_ARGUMENT);
}

int main(void) {
    snprintf(run_tag, sizeof run_tag, "types-%ld:", (long)getpid());
    const struct test_option options[] = {
        {"api_key", "test-key"},
        {"endpoint", required_env("FERROLOG_TEST_ENDPOINT")},
        {"min_level", "emergency"}, /* non-log entries are not held to it */
    };
    ferrolog_client *client = start_client(options, COUNT(options));
    ferrolog_logger *logger = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);

    send_one_of_each(logger);
    check_refusals(logger);
    CHECK_RESULT(ferrolog_client_flush(client, 10000, NULL), FERROLOG_OK);
    CHECK_U64(client_counter(client, "accepted"), 5);
    CHECK_U64(client_counter(client, "sent"), 5);
    check_arrived();

    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, NULL), FERROLOG_OK);
    CHECK_RESULT(ferrolog_event(logger, STR("late"), none), FERROLOG_SHUT_DOWN);
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
    return check_finish();
}
