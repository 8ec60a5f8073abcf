/*
 * The path a user takes: configure, log through a logger tree at several levels with JSON,
 * key/value and typed attributes, filter by level, flush, read the stats, then find every entry at the
 * collector with its level and merged attributes. run.sh also builds this file as C++ to prove
 * the header works there, so it keeps to the common subset of C11 and C++17.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "collector.h"
#include "ferrolog.h"

#define ENVIRONMENT "happy-path"

/* Starts every message, so the collector query finds this run's entries and no others; it ends
 * in ':' so that no run's tag is a prefix of another's. */
static char run_tag[32];

/* Logs `text`, prefixed with the run tag, with JSON attributes. */
static ferrolog_result log_json(const ferrolog_logger *logger, int32_t level, const char *text,
                                const char *json) {
    char message[256];
    int length = snprintf(message, sizeof message, "%s %s", run_tag, text);
    return ferrolog_log(logger, level, message, (size_t)length, json, strlen(json));
}

/* Checks that the collector holds the entry logged as `text` with exactly these attributes. */
static void expect_entry(const char *lines, int level, const char *text, const char *attributes) {
    char line[1024];
    snprintf(line, sizeof line, "[%d,\"%s %s\",%s,\"" ENVIRONMENT "\",\"log\"]", level, run_tag,
             text, attributes);
    if (!CHECK(has_line(lines, line))) {
        fprintf(stderr, "    missing: %s\n", line);
    }
}

/* The needed-size protocol: ask, be refused one byte short, then fit exactly. */
static void check_stats_json(const ferrolog_client *client, uint64_t sent) {
    ferrolog_stats *stats = NULL;
    char json[4096];
    size_t needed = 0;
    CHECK_RESULT(ferrolog_client_stats(client, &stats), FERROLOG_OK);
    CHECK_RESULT(ferrolog_stats_json(stats, NULL, 0, &needed), FERROLOG_BUFFER_TOO_SMALL);
    if (CHECK(needed > 2 && needed <= sizeof json)) {
        /* A short buffer is left as it was. */
        memset(json, '#', sizeof json);
        CHECK_RESULT(ferrolog_stats_json(stats, json, needed - 1, NULL), FERROLOG_BUFFER_TOO_SMALL);
        CHECK(json[0] == '#' && json[needed - 2] == '#');

        size_t reported = 0;
        CHECK_RESULT(ferrolog_stats_json(stats, json, needed, &reported), FERROLOG_OK);
        CHECK(reported == needed && strlen(json) == needed - 1);
        char sent_member[64];
        snprintf(sent_member, sizeof sent_member, "\"sent\":%llu", (unsigned long long)sent);
        CHECK_CONTAINS(json, sent_member);
    }
    ferrolog_stats_free(stats);
}

struct loggers {
    ferrolog_logger *root;
    /* JSON attributes on top of the root's none. */
    ferrolog_logger *child;
    /* Key/value attributes on top of the child's, overriding its "region". */
    ferrolog_logger *grandchild;
};

/* The child's attributes as the collector returns them: keys sorted, inside an object. */
#define CHILD_ATTRIBUTES "\"build\":7,\"region\":\"eu\",\"service\":\"checkout\""

static const ferrolog_attribute utf8_attributes[] = {
    {S("city"), S("Zürich")},
    {S("greeting"), S("こんにちは")},
};

static void make_loggers(const ferrolog_client *client, struct loggers *loggers) {
    const ferrolog_attribute request[] = {
        {S("request_id"), S("req-1")},
        {S("region"), S("us")},
    };
    const char context[] = "{\"service\":\"checkout\",\"region\":\"eu\",\"build\":7}";
    CHECK_RESULT(ferrolog_client_logger(client, &loggers->root), FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_child(loggers->root, S(context), &loggers->child), FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_child_kv(loggers->child, request, COUNT(request),
                                          &loggers->grandchild),
                 FERROLOG_OK);
}

/* Typed attributes: keys and text values back to back in one text, in table order. */
static ferrolog_result log_typed(const ferrolog_logger *logger, const char *text) {
    char message[256];
    int length = snprintf(message, sizeof message, "%s %s", run_tag, text);
    static const char texts[] = "status" "ratio" "max" "ok" "none" "route" "/api/orders";
    ferrolog_typed_attribute table[6];
    memset(table, 0, sizeof table);
    table[0].key_len = strlen("status");
    table[0].kind = FERROLOG_VALUE_INT;
    table[0].value.integer = -200;
    table[1].key_len = strlen("ratio");
    table[1].kind = FERROLOG_VALUE_FLOAT;
    table[1].value.real = 0.25;
    table[2].key_len = strlen("max");
    table[2].kind = FERROLOG_VALUE_UINT;
    table[2].value.unsigned_integer = UINT64_MAX;
    table[3].key_len = strlen("ok");
    table[3].kind = FERROLOG_VALUE_BOOL;
    table[3].value.boolean = 1;
    table[4].key_len = strlen("none");
    table[4].kind = FERROLOG_VALUE_NULL;
    table[5].key_len = strlen("route");
    table[5].kind = FERROLOG_VALUE_TEXT;
    table[5].value.text_len = strlen("/api/orders");
    return ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, message, (size_t)length, table,
                              COUNT(table), texts, strlen(texts));
}

/* Eight entries through all three loggers, at every level and every attribute form. */
static void log_entries(const struct loggers *loggers) {
    CHECK_RESULT(log_json(loggers->root, FERROLOG_LEVEL_INFO, "root info",
                          "{\"count\":3,\"ok\":true}"),
                 FERROLOG_OK);
    CHECK_RESULT(log_json(loggers->root, FERROLOG_LEVEL_NOTICE, "root notice", ""), FERROLOG_OK);
    CHECK_RESULT(log_json(loggers->child, FERROLOG_LEVEL_WARNING, "child warning",
                          "{\"attempt\":2}"),
                 FERROLOG_OK);
    CHECK_RESULT(log_json(loggers->child, FERROLOG_LEVEL_DEBUG, "child debug", ""), FERROLOG_OK);
    CHECK_RESULT(log_json(loggers->grandchild, FERROLOG_LEVEL_CRITICAL, "grandchild critical",
                          "{\"region\":\"ap\",\"nested\":{\"a\":[1,null]}}"),
                 FERROLOG_OK);
    CHECK_RESULT(log_json(loggers->grandchild, FERROLOG_LEVEL_EMERGENCY, "grandchild emergency",
                          "{}"),
                 FERROLOG_OK);
    char message[256];
    int length = snprintf(message, sizeof message, "%s grandchild error — Zürich ✓", run_tag);
    CHECK_RESULT(ferrolog_log_kv(loggers->grandchild, FERROLOG_LEVEL_ERROR, message,
                                 (size_t)length, utf8_attributes, COUNT(utf8_attributes)),
                 FERROLOG_OK);
    CHECK_RESULT(log_typed(loggers->grandchild, "grandchild typed"), FERROLOG_OK);
}

/* Raises the minimum level, checks what passes, and lowers it again; one entry gets through. */
static void check_level_gate(const ferrolog_client *client, const struct loggers *loggers) {
    CHECK_RESULT(ferrolog_client_set_min_level(client, FERROLOG_LEVEL_WARNING), FERROLOG_OK);
    CHECK(!ferrolog_logger_enabled(loggers->child, FERROLOG_LEVEL_INFO));
    CHECK(!ferrolog_logger_enabled(loggers->root, FERROLOG_LEVEL_DEBUG));
    CHECK(ferrolog_logger_enabled(loggers->grandchild, FERROLOG_LEVEL_WARNING));
    CHECK(ferrolog_logger_enabled(loggers->root, FERROLOG_LEVEL_EMERGENCY));
    CHECK_RESULT(log_json(loggers->child, FERROLOG_LEVEL_INFO, "filtered info", ""),
                 FERROLOG_FILTERED);
    CHECK_RESULT(ferrolog_log_kv(loggers->root, FERROLOG_LEVEL_DEBUG, S("filtered debug"),
                                 utf8_attributes, COUNT(utf8_attributes)),
                 FERROLOG_FILTERED);
    CHECK_RESULT(log_json(loggers->child, FERROLOG_LEVEL_WARNING, "passes the gate", ""),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_client_set_min_level(client, FERROLOG_LEVEL_DEBUG), FERROLOG_OK);
    CHECK(ferrolog_logger_enabled(loggers->root, FERROLOG_LEVEL_DEBUG));
}

static void check_delivered(const ferrolog_client *client, uint64_t accepted) {
    uint64_t left = 99;
    CHECK_RESULT(ferrolog_client_flush(client, 10000, &left), FERROLOG_OK);
    CHECK_U64(left, 0);
    CHECK_U64(client_counter(client, "accepted"), accepted);
    CHECK_U64(client_counter(client, "sent"), accepted);
    CHECK_U64(client_counter(client, "queued"), 0);
    CHECK_U64(client_counter(client, "dropped"), 0);
    CHECK(client_counter(client, "requests") >= 1);
    check_stats_json(client, accepted);
}

static void check_collector(uint64_t accepted) {
    char filter[64];
    snprintf(filter, sizeof filter, "text=%s", run_tag);
    char *lines = collector_entries(filter);
    if (!CHECK(lines != NULL)) {
        return;
    }
    CHECK_U64(count_lines(lines), accepted);
    expect_entry(lines, 7, "root info", "{\"count\":3,\"ok\":true}");
    /* LuminaLog has no notice level: the protocol folds it into info (spec §10). */
    expect_entry(lines, 7, "root notice", "{}");
    /* A child adds to its parent's attributes, and a call's own add to the logger's... */
    expect_entry(lines, 5, "child warning", "{\"attempt\":2," CHILD_ATTRIBUTES "}");
    expect_entry(lines, 8, "child debug", "{" CHILD_ATTRIBUTES "}");
    expect_entry(lines, 5, "passes the gate", "{" CHILD_ATTRIBUTES "}");
    /* ...a grandchild overrides them while the child keeps its own (region "eu" above), and a
     * call's attributes override the logger's. */
    expect_entry(lines, 3, "grandchild critical",
                 "{\"build\":7,\"nested\":{\"a\":[1,null]},\"region\":\"ap\","
                 "\"request_id\":\"req-1\",\"service\":\"checkout\"}");
    expect_entry(lines, 1, "grandchild emergency",
                 "{\"build\":7,\"region\":\"us\",\"request_id\":\"req-1\","
                 "\"service\":\"checkout\"}");
    expect_entry(lines, 4, "grandchild error — Zürich ✓",
                 "{\"build\":7,\"city\":\"Zürich\",\"greeting\":\"こんにちは\",\"region\":\"us\","
                 "\"request_id\":\"req-1\",\"service\":\"checkout\"}");
    expect_entry(lines, 7, "grandchild typed",
                 "{\"build\":7,\"max\":18446744073709551615,\"none\":null,\"ok\":true,"
                 "\"ratio\":0.25,\"region\":\"us\",\"request_id\":\"req-1\","
                 "\"route\":\"/api/orders\",\"service\":\"checkout\",\"status\":-200}");
    CHECK(strstr(lines, "filtered") == NULL);
    free(lines);
}

static void check_shutdown(const ferrolog_client *client, const struct loggers *loggers,
                           uint64_t sent) {
    uint64_t left = 99;
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, &left), FERROLOG_OK);
    CHECK_U64(left, 0);
    /* A second shutdown does nothing. */
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, &left), FERROLOG_OK);
    CHECK_RESULT(log_json(loggers->child, FERROLOG_LEVEL_ERROR, "after shutdown", ""),
                 FERROLOG_SHUT_DOWN);
    CHECK_RESULT(ferrolog_log_kv(loggers->grandchild, FERROLOG_LEVEL_ERROR, S("after shutdown"),
                                 utf8_attributes, COUNT(utf8_attributes)),
                 FERROLOG_SHUT_DOWN);
    CHECK_U64(client_counter(client, "sent"), sent);
}

int main(void) {
    snprintf(run_tag, sizeof run_tag, "happy-%ld:", (long)getpid());
    CHECK(ferrolog_abi_version() == FERROLOG_ABI_VERSION);
    const struct test_option options[] = {
        {"api_key", "test-key"},
        {"endpoint", required_env("FERROLOG_TEST_ENDPOINT")},
        {"batch_size", "50"},
        {"flush_interval", "250ms"},
        {"environment", ENVIRONMENT},
    };
    ferrolog_client *client = start_client(options, COUNT(options));
    struct loggers loggers = {NULL, NULL, NULL};
    make_loggers(client, &loggers);

    log_entries(&loggers);
    check_level_gate(client, &loggers);
    const uint64_t accepted = 8 + 1; /* log_entries' and the one that passed the gate */
    check_delivered(client, accepted);
    check_collector(accepted);
    check_shutdown(client, &loggers, accepted);

    ferrolog_logger_free(loggers.grandchild);
    ferrolog_logger_free(loggers.child);
    ferrolog_logger_free(loggers.root);
    ferrolog_client_free(client);
    return check_finish();
}
