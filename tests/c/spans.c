/*
 * Spans through the C ABI: a root and a child with their ids, an error, a logger bound to a
 * span, both propagation headers continued by another "service", the id helpers, and bad
 * arguments. The collector shows the ids each entry arrived with.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "collector.h"
#include "ferrolog.h"

#define STR(literal) ((ferrolog_str){(literal), sizeof(literal) - 1})

static char run_tag[32];
static char names[8][64];

/* A tagged name, kept in one of a few static slots. */
static ferrolog_str tagged(int slot, const char *text) {
    int length = snprintf(names[slot], sizeof names[slot], "%s %s", run_tag, text);
    return (ferrolog_str){names[slot], (size_t)length};
}

static bool is_lower_hex(const char *text, size_t length) {
    if (strlen(text) != length) {
        return false;
    }
    for (size_t i = 0; i < length; i++) {
        if (!((text[i] >= '0' && text[i] <= '9') || (text[i] >= 'a' && text[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

/* The header `kind` of `span`, through the needed-size protocol. */
static void header_of(const ferrolog_span *span, int32_t kind, char *out, size_t size) {
    size_t needed = 0;
    CHECK_RESULT(ferrolog_span_header(span, kind, NULL, 0, &needed), FERROLOG_BUFFER_TOO_SMALL);
    CHECK(needed > 0 && needed <= size);
    CHECK_RESULT(ferrolog_span_header(span, kind, out, size, NULL), FERROLOG_OK);
    CHECK(strlen(out) + 1 == needed);
}

static void expect_trace(const char *lines, const char *line) {
    if (!CHECK(has_line(lines, line))) {
        fprintf(stderr, "    missing: %s\n    got:\n%s\n", line, lines);
    }
}

static void test_ids(void) {
    char id[64];
    size_t needed = 0;
    CHECK_RESULT(ferrolog_generate_trace_id(id, sizeof id, &needed), FERROLOG_OK);
    CHECK(needed == 37 && id[8] == '-' && id[14] == '4');
    CHECK_RESULT(ferrolog_generate_hex_id(16, id, sizeof id, NULL), FERROLOG_OK);
    CHECK(is_lower_hex(id, 32));
    CHECK_RESULT(ferrolog_generate_hex_id(8, id, sizeof id, NULL), FERROLOG_OK);
    CHECK(is_lower_hex(id, 16));
    CHECK_RESULT(ferrolog_generate_hex_id(4, id, sizeof id, NULL), FERROLOG_INVALID_ARGUMENT);

    const ferrolog_header request[] = {
        {STR("Accept"), STR("*/*")},
        {STR("X-Request-ID"), STR("req-42")},
        {STR("traceparent"), STR("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")},
    };
    CHECK_RESULT(ferrolog_trace_id_from_headers(request, COUNT(request), id, sizeof id, NULL),
                 FERROLOG_OK);
    CHECK(strcmp(id, "req-42") == 0);
    CHECK_RESULT(ferrolog_trace_id_from_headers(request + 2, 1, id, sizeof id, NULL), FERROLOG_OK);
    CHECK(strcmp(id, "4bf92f3577b34da6a3ce929d0e0e4736") == 0);
    CHECK_RESULT(ferrolog_trace_id_from_headers(NULL, 0, id, sizeof id, NULL), FERROLOG_OK);
    CHECK(strlen(id) == 36);
    CHECK_RESULT(ferrolog_trace_id_from_headers(NULL, 1, id, sizeof id, NULL),
                 FERROLOG_NULL_ARGUMENT);
    const ferrolog_header bad[] = {{STR("x-trace-id"), {"\xff", 1}}};
    CHECK_RESULT(ferrolog_trace_id_from_headers(bad, 1, id, sizeof id, NULL),
                 FERROLOG_INVALID_UTF8);
}

int main(void) {
    snprintf(run_tag, sizeof run_tag, "spans-%ld:", (long)getpid());
    test_ids();
    const struct test_option options[] = {
        {"api_key", "spans-key"},
        {"endpoint", required_env("FERROLOG_TEST_ENDPOINT")},
    };
    ferrolog_client *client = start_client(options, COUNT(options));
    ferrolog_logger *logger = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);

    ferrolog_span *root = NULL, *child = NULL, *served = NULL, *served_lf = NULL;
    CHECK_RESULT(ferrolog_span_start(logger, tagged(0, "root"), STR("http.server"), &root),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_span_start_child(root, tagged(1, "child"), STR("db.query"), &child),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_span_set_attribute(child, STR("db.system"), STR("postgresql")),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_span_set_error(child, STR("timeout")), FERROLOG_OK);

    ferrolog_logger *bound = NULL;
    CHECK_RESULT(ferrolog_span_logger(child, &bound), FERROLOG_OK);
    ferrolog_str note = tagged(2, "under the child");
    CHECK_RESULT(ferrolog_log(bound, FERROLOG_LEVEL_INFO, note.ptr, note.len, "", 0), FERROLOG_OK);

    char traceparent[64], logflux_trace[64];
    header_of(root, FERROLOG_HEADER_TRACEPARENT, traceparent, sizeof traceparent);
    header_of(root, FERROLOG_HEADER_LOGFLUX, logflux_trace, sizeof logflux_trace);
    CHECK(strncmp(traceparent, "00-", 3) == 0 && strlen(traceparent) == 55);
    CHECK(strlen(logflux_trace) == 51);
    /* Both headers name the same trace and span. */
    CHECK(strncmp(traceparent + 3, logflux_trace, 32) == 0);
    CHECK(strncmp(traceparent + 36, logflux_trace + 33, 16) == 0);

    const ferrolog_header incoming[] = {{STR("TraceParent"), {traceparent, strlen(traceparent)}}};
    CHECK_RESULT(ferrolog_span_continue_from_headers(logger, incoming, 1, tagged(3, "served"),
                                                     STR("http.server"), &served),
                 FERROLOG_OK);
    const ferrolog_header incoming_lf[] = {
        {STR("x-logflux-trace"), {logflux_trace, strlen(logflux_trace)}}};
    CHECK_RESULT(ferrolog_span_continue_from_headers(logger, incoming_lf, 1,
                                                     tagged(4, "served lf"), STR("queue"),
                                                     &served_lf),
                 FERROLOG_OK);

    /* Invalid W3C headers continue nothing: the span starts a trace of its own. */
    const char *invalid[] = {
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", /* upper case */
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", /* zero trace id */
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", /* version ff */
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
    };
    for (size_t i = 0; i < COUNT(invalid); i++) {
        const ferrolog_header header[] = {{STR("traceparent"), {invalid[i], strlen(invalid[i])}}};
        ferrolog_span *fresh = NULL;
        CHECK_RESULT(ferrolog_span_continue_from_headers(logger, header, 1, STR("fresh"),
                                                         STR("x"), &fresh),
                     FERROLOG_OK);
        char value[64];
        CHECK_RESULT(ferrolog_span_header(fresh, FERROLOG_HEADER_TRACEPARENT, value, sizeof value,
                                          NULL),
                     FERROLOG_OK);
        check_context(invalid[i]);
        CHECK(strncmp(value + 3, "4bf92f3577b34da6a3ce929d0e0e4736", 32) != 0);
        check_context(NULL);
        ferrolog_span_free(fresh);
    }

    /* Bad arguments are refused without a span. */
    ferrolog_span *none = NULL;
    CHECK_RESULT(ferrolog_span_start(NULL, STR("x"), STR("y"), &none), FERROLOG_NULL_ARGUMENT);
    CHECK_RESULT(ferrolog_span_start(logger, (ferrolog_str){"\xc3", 1}, STR("y"), &none),
                 FERROLOG_INVALID_UTF8);
    CHECK_RESULT(ferrolog_span_start(logger, STR("x"), STR("y"), NULL), FERROLOG_NULL_ARGUMENT);
    CHECK_RESULT(ferrolog_span_continue_from_headers(logger, NULL, 2, STR("x"), STR("y"), &none),
                 FERROLOG_NULL_ARGUMENT);
    CHECK(none == NULL);
    CHECK_RESULT(ferrolog_span_header(root, 9, traceparent, sizeof traceparent, NULL),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_span_end(NULL), FERROLOG_NULL_ARGUMENT);

    CHECK_RESULT(ferrolog_span_end(child), FERROLOG_OK);
    CHECK_RESULT(ferrolog_span_end(child), FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_span_end(served), FERROLOG_OK);
    CHECK_RESULT(ferrolog_span_end(served_lf), FERROLOG_OK);
    CHECK_RESULT(ferrolog_span_end(root), FERROLOG_OK);
    /* Attributes after the end change nothing, and say so by doing nothing. */
    CHECK_RESULT(ferrolog_span_set_attribute(root, STR("late"), STR("1")), FERROLOG_OK);
    CHECK_RESULT(ferrolog_client_flush(client, 5000, NULL), FERROLOG_OK);

    char filter[64], line[256];
    snprintf(filter, sizeof filter, "text=%s", run_tag);
    char *lines = collector_traces(filter);
    if (CHECK(lines != NULL) && CHECK(count_lines(lines) == 5)) {
        char trace_id[33], root_id[17];
        snprintf(trace_id, sizeof trace_id, "%.32s", traceparent + 3);
        snprintf(root_id, sizeof root_id, "%.16s", traceparent + 36);
        /* The root: no parent. */
        snprintf(line, sizeof line, "[\"%s\",\"%s\",\"%s\",null,\"ok\"]", names[0], trace_id,
                 root_id);
        expect_trace(lines, line);
        /* The child and both served spans name the root as their parent. */
        const int children[] = {1, 3, 4};
        for (size_t i = 0; i < COUNT(children); i++) {
            const char *name = names[children[i]];
            snprintf(line, sizeof line, "\"%s\",\"%s\",\"", name, trace_id);
            CHECK_CONTAINS(lines, line);
            snprintf(line, sizeof line, "\",\"%s\",\"%s\"]", root_id,
                     children[i] == 1 ? "error" : "ok");
            CHECK_CONTAINS(lines, line);
        }
        /* The bound log carries the child's ids and no parent of its own. */
        snprintf(line, sizeof line, "[\"%s\",\"%s\",", names[2], trace_id);
        CHECK_CONTAINS(lines, line);
    }
    free(lines);

    ferrolog_span_free(child);
    ferrolog_span_free(served);
    ferrolog_span_free(served_lf);
    ferrolog_span_free(root);
    ferrolog_span_free(NULL);
    ferrolog_logger_free(bound);
    ferrolog_logger_free(logger);
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, NULL), FERROLOG_OK);
    ferrolog_client_free(client);
    return check_finish();
}
