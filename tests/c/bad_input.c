/*
 * Every entry point given what it must refuse, with the result the header promises: NULL
 * pointers, invalid UTF-8, malformed JSON, out-of-range levels, oversized messages, bad
 * options, unknown names, and calls after shutdown. Nothing here needs a working endpoint.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ferrolog.h"

/* Nothing listens on the discard port, so sends fail at once and nothing waits on them. */
#define UNUSED_ENDPOINT "http://127.0.0.1:9/v1/logs"

#define CHECK_NULL_ARGUMENT(call) CHECK_RESULT(call, FERROLOG_NULL_ARGUMENT)

struct bytes {
    const char *name;
    const char *data;
    size_t len;
};

/* Byte strings that are not UTF-8, each for a different reason. */
static const struct bytes invalid_utf8[] = {
    {"lone continuation byte", S("\x80")},
    {"byte never in UTF-8", S("ok\xff")},
    {"truncated sequence", S("\xe2\x82")},
    {"overlong encoding of '/'", S("\xc0\xaf")},
    {"UTF-16 surrogate", S("\xed\xa0\x80")},
    {"beyond U+10FFFF", S("\xf4\x90\x80\x80")},
};

/* Attribute arguments that are not one JSON object. */
static const struct bytes malformed_json[] = {
    {"array", S("[1]")},
    {"unterminated object", S("{\"a\":")},
    {"two objects", S("{} {}")},
    {"string", S("\"s\"")},
    {"number", S("1")},
    {"trailing comma", S("{\"a\":1,}")},
    {"trailing garbage", S("{\"a\":1}x")},
};

static const int32_t invalid_levels[] = {0, 9, -1, 7 + 256, INT32_MIN, INT32_MAX};

/* A failed call's error object: checks its code and that its message names `subject`. */
static void expect_error(ferrolog_error **error, ferrolog_result code, const char *subject) {
    if (CHECK(*error != NULL)) {
        CHECK_RESULT(ferrolog_error_code(*error), code);
        CHECK_CONTAINS(ferrolog_error_message(*error), subject);
    } else {
        fprintf(stderr, "    no error object naming %s\n", subject);
    }
    ferrolog_error_free(*error);
    *error = NULL;
}

static ferrolog_result set_option(ferrolog_config *config, const char *key, const char *value,
                                  ferrolog_error **error) {
    return ferrolog_config_set(config, key, strlen(key), value, strlen(value), error);
}

/* NULL for each pointer argument, one at a time; outputs must stay unwritten. */
static void test_null_arguments(ferrolog_config *config, ferrolog_client *client,
                                ferrolog_logger *logger, ferrolog_stats *stats) {
    ferrolog_client *client_out = NULL;
    ferrolog_logger *logger_out = NULL;
    ferrolog_stats *stats_out = NULL;
    ferrolog_error *error = NULL;
    uint64_t number = 0;
    int32_t level = 0;
    size_t needed = 0;
    char buffer[16] = "";

    CHECK_NULL_ARGUMENT(ferrolog_config_new(NULL));
    CHECK_NULL_ARGUMENT(ferrolog_config_set(NULL, S("api_key"), S("k"), &error));
    expect_error(&error, FERROLOG_NULL_ARGUMENT, "config");
    CHECK_NULL_ARGUMENT(ferrolog_config_set(config, NULL, 7, S("k"), NULL));
    CHECK_NULL_ARGUMENT(ferrolog_config_set(config, S("api_key"), NULL, 1, &error));
    expect_error(&error, FERROLOG_NULL_ARGUMENT, "api_key");
    CHECK_NULL_ARGUMENT(ferrolog_config_apply_env(NULL, NULL));

    CHECK_NULL_ARGUMENT(ferrolog_client_new(NULL, &client_out, &error));
    expect_error(&error, FERROLOG_NULL_ARGUMENT, "config");
    CHECK_NULL_ARGUMENT(ferrolog_client_new(config, NULL, NULL));
    CHECK_NULL_ARGUMENT(ferrolog_client_logger(NULL, &logger_out));
    CHECK_NULL_ARGUMENT(ferrolog_client_logger(client, NULL));
    CHECK_NULL_ARGUMENT(ferrolog_client_flush(NULL, 0, &number));
    CHECK_NULL_ARGUMENT(ferrolog_client_shutdown(NULL, 0, &number));
    CHECK_NULL_ARGUMENT(ferrolog_client_set_min_level(NULL, FERROLOG_LEVEL_INFO));
    CHECK_NULL_ARGUMENT(ferrolog_client_stats(NULL, &stats_out));
    CHECK_NULL_ARGUMENT(ferrolog_client_stats(client, NULL));

    CHECK_NULL_ARGUMENT(ferrolog_log(NULL, FERROLOG_LEVEL_INFO, S("m"), NULL, 0));
    CHECK_NULL_ARGUMENT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, NULL, 1, NULL, 0));
    CHECK_NULL_ARGUMENT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, S("m"), NULL, 2));
    CHECK_NULL_ARGUMENT(ferrolog_log_kv(NULL, FERROLOG_LEVEL_INFO, S("m"), NULL, 0));
    CHECK_NULL_ARGUMENT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, NULL, 1, NULL, 0));
    CHECK_NULL_ARGUMENT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, S("m"), NULL, 1));
    ferrolog_typed_attribute typed[1];
    memset(typed, 0, sizeof typed);
    typed[0].key_len = 1;
    typed[0].kind = FERROLOG_VALUE_BOOL;
    CHECK_NULL_ARGUMENT(ferrolog_log_typed(NULL, FERROLOG_LEVEL_INFO, S("m"), typed, 1, S("k")));
    CHECK_NULL_ARGUMENT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), NULL, 1, S("k")));
    CHECK_NULL_ARGUMENT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), typed, 1, NULL, 1));
    CHECK(!ferrolog_logger_enabled(NULL, FERROLOG_LEVEL_INFO));
    CHECK_NULL_ARGUMENT(ferrolog_logger_child(NULL, S("{}"), &logger_out));
    CHECK_NULL_ARGUMENT(ferrolog_logger_child(logger, NULL, 2, &logger_out));
    CHECK_NULL_ARGUMENT(ferrolog_logger_child(logger, S("{}"), NULL));
    CHECK_NULL_ARGUMENT(ferrolog_logger_child_kv(NULL, NULL, 0, &logger_out));
    CHECK_NULL_ARGUMENT(ferrolog_logger_child_kv(logger, NULL, 1, &logger_out));
    CHECK_NULL_ARGUMENT(ferrolog_logger_child_kv(logger, NULL, 0, NULL));

    /* A NULL string with a length inside an attribute, for both key/value calls. */
    const struct {
        const char *name;
        ferrolog_attribute attribute[1];
    } null_strings[] = {
        {"NULL key", {{NULL, 1, S("v")}}},
        {"NULL value", {{S("k"), NULL, 1}}},
    };
    for (size_t i = 0; i < COUNT(null_strings); i++) {
        check_context(null_strings[i].name);
        CHECK_NULL_ARGUMENT(
            ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, S("m"), null_strings[i].attribute, 1));
        CHECK_NULL_ARGUMENT(
            ferrolog_logger_child_kv(logger, null_strings[i].attribute, 1, &logger_out));
    }
    check_context(NULL);

    CHECK_NULL_ARGUMENT(ferrolog_level_from_name(NULL, 4, &level));
    CHECK_NULL_ARGUMENT(ferrolog_level_from_name(S("info"), NULL));
    CHECK_NULL_ARGUMENT(ferrolog_stats_get(NULL, S("sent"), &number));
    CHECK_NULL_ARGUMENT(ferrolog_stats_get(stats, NULL, 4, &number));
    CHECK_NULL_ARGUMENT(ferrolog_stats_get(stats, S("sent"), NULL));
    CHECK_NULL_ARGUMENT(ferrolog_stats_json(NULL, buffer, sizeof buffer, &needed));
    CHECK_NULL_ARGUMENT(ferrolog_error_code(NULL));
    CHECK(strcmp(ferrolog_error_message(NULL), "") == 0);

    ferrolog_config_free(NULL);
    ferrolog_client_free(NULL);
    ferrolog_logger_free(NULL);
    ferrolog_stats_free(NULL);
    ferrolog_error_free(NULL);

    CHECK(client_out == NULL && logger_out == NULL && stats_out == NULL && error == NULL);
    CHECK(number == 0 && level == 0 && needed == 0 && buffer[0] == '\0');
}

/* A NULL pointer with length 0 is the empty string wherever a string is taken. */
static void test_empty_strings(ferrolog_config *config, ferrolog_logger *logger,
                               ferrolog_stats *stats) {
    ferrolog_error *error = NULL;
    ferrolog_logger *child = NULL;
    const ferrolog_attribute empty[] = {{NULL, 0, NULL, 0}};
    int32_t level = 0;
    uint64_t number = 0;
    size_t needed = 0;

    CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, NULL, 0, NULL, 0), FERROLOG_OK);
    CHECK_RESULT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, NULL, 0, NULL, 0), FERROLOG_OK);
    CHECK_RESULT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, NULL, 0, empty, 1), FERROLOG_OK);
    /* Blank JSON means no attributes, like an empty string. */
    CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, S("m"), S(" \n ")), FERROLOG_OK);

    CHECK_RESULT(ferrolog_logger_child(logger, NULL, 0, &child), FERROLOG_OK);
    ferrolog_logger_free(child);
    child = NULL;
    CHECK_RESULT(ferrolog_logger_child_kv(logger, NULL, 0, &child), FERROLOG_OK);
    ferrolog_logger_free(child);
    child = NULL;
    CHECK_RESULT(ferrolog_logger_child_kv(logger, empty, 1, &child), FERROLOG_OK);
    ferrolog_logger_free(child);

    CHECK_RESULT(ferrolog_config_set(config, S("environment"), NULL, 0, &error), FERROLOG_OK);
    CHECK(error == NULL);
    /* Empty where a value is required: refused by the option's own rules. */
    CHECK_RESULT(ferrolog_config_set(config, S("api_key"), NULL, 0, &error), FERROLOG_CONFIG_ERROR);
    expect_error(&error, FERROLOG_CONFIG_ERROR, "api_key");
    CHECK_RESULT(ferrolog_config_set(config, NULL, 0, S("x"), NULL), FERROLOG_CONFIG_ERROR);
    CHECK_RESULT(ferrolog_level_from_name(NULL, 0, &level), FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_stats_get(stats, NULL, 0, &number), FERROLOG_INVALID_ARGUMENT);
    /* A NULL buffer of capacity 0 asks for the size needed. */
    CHECK_RESULT(ferrolog_stats_json(stats, NULL, 0, &needed), FERROLOG_BUFFER_TOO_SMALL);
    CHECK(needed > 2);
}

static void test_invalid_utf8(ferrolog_config *config, ferrolog_logger *logger,
                              ferrolog_stats *stats) {
    for (size_t i = 0; i < COUNT(invalid_utf8); i++) {
        const char *bad = invalid_utf8[i].data;
        size_t len = invalid_utf8[i].len;
        const ferrolog_attribute bad_key[] = {{bad, len, S("v")}};
        const ferrolog_attribute bad_value[] = {{S("k"), bad, len}};
        char json[32];
        int json_len = snprintf(json, sizeof json, "{\"k\":\"%.*s\"}", (int)len, bad);
        ferrolog_logger *child = NULL;
        ferrolog_error *error = NULL;
        int32_t level = 0;
        uint64_t number = 0;
        check_context(invalid_utf8[i].name);

        CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, bad, len, NULL, 0),
                     FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, S("m"), json, (size_t)json_len),
                     FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, bad, len, NULL, 0),
                     FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, S("m"), bad_key, 1),
                     FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, S("m"), bad_value, 1),
                     FERROLOG_INVALID_UTF8);
        ferrolog_typed_attribute typed[1];
        memset(typed, 0, sizeof typed);
        typed[0].key_len = len;
        typed[0].kind = FERROLOG_VALUE_INT;
        CHECK_RESULT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), typed, 1, bad, len),
                     FERROLOG_INVALID_UTF8);
        typed[0].key_len = 0;
        typed[0].kind = FERROLOG_VALUE_TEXT;
        typed[0].value.text_len = len;
        CHECK_RESULT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), typed, 1, bad, len),
                     FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_logger_child(logger, json, (size_t)json_len, &child),
                     FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_logger_child_kv(logger, bad_key, 1, &child), FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_logger_child_kv(logger, bad_value, 1, &child),
                     FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_config_set(config, bad, len, S("x"), &error), FERROLOG_INVALID_UTF8);
        expect_error(&error, FERROLOG_INVALID_UTF8, "key");
        CHECK_RESULT(ferrolog_config_set(config, S("environment"), bad, len, &error),
                     FERROLOG_INVALID_UTF8);
        expect_error(&error, FERROLOG_INVALID_UTF8, "environment");
        CHECK_RESULT(ferrolog_level_from_name(bad, len, &level), FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_stats_get(stats, bad, len, &number), FERROLOG_INVALID_UTF8);
        CHECK(child == NULL && level == 0 && number == 0);
    }
    check_context(NULL);
}

/* A character split across two strings: the concatenation is UTF-8, but neither piece is. */
static void test_split_characters(ferrolog_logger *logger) {
    const struct {
        const char *name;
        const char *message;
        size_t message_len;
        ferrolog_attribute attributes[2];
    } cases[] = {
        {"message | key", S("caf\xc3"), {{S("\xa9"), S("v")}, {S("k"), S("v")}}},
        {"key | value", S("m"), {{S("k\xc3"), S("\xa9")}, {S("k"), S("v")}}},
        {"value | next key", S("m"), {{S("k"), S("v\xc3")}, {S("\xa9"), S("v")}}},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        ferrolog_logger *child = NULL;
        check_context(cases[i].name);
        CHECK_RESULT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, cases[i].message,
                                     cases[i].message_len, cases[i].attributes, 2),
                     FERROLOG_INVALID_UTF8);
        CHECK_RESULT(ferrolog_logger_child_kv(logger, cases[i].attributes, 2, &child),
                     FERROLOG_INVALID_UTF8);
        CHECK(child == NULL);
    }
    check_context(NULL);
}

/* A table the text does not match, or with a kind the ABI does not know. */
static void test_typed_tables(ferrolog_logger *logger) {
    ferrolog_typed_attribute typed[2];
    memset(typed, 0, sizeof typed);
    typed[0].key_len = 1;
    typed[0].kind = FERROLOG_VALUE_TEXT;
    typed[0].value.text_len = 2;
    typed[1].key_len = 1;
    typed[1].kind = FERROLOG_VALUE_FLOAT;
    typed[1].value.real = 1.5;
    CHECK_RESULT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), typed, 2, S("kvvk")),
                 FERROLOG_OK);
    check_context("text longer than the table");
    CHECK_RESULT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), typed, 2, S("kvvk!")),
                 FERROLOG_INVALID_ARGUMENT);
    check_context("text shorter than the table");
    CHECK_RESULT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), typed, 2, S("kvv")),
                 FERROLOG_INVALID_ARGUMENT);
    check_context("a text length past the end");
    typed[0].value.text_len = SIZE_MAX;
    CHECK_RESULT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), typed, 2, S("kvvk")),
                 FERROLOG_INVALID_ARGUMENT);
    check_context("unknown kinds");
    const int32_t unknown[] = {0, 7, -1, INT32_MAX};
    typed[0].value.text_len = 2;
    for (size_t i = 0; i < COUNT(unknown); i++) {
        typed[1].kind = unknown[i];
        CHECK_RESULT(ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("m"), typed, 2, S("kvvk")),
                     FERROLOG_INVALID_ARGUMENT);
    }
    check_context(NULL);
}

static void test_malformed_json(ferrolog_logger *logger) {
    for (size_t i = 0; i < COUNT(malformed_json); i++) {
        ferrolog_logger *child = NULL;
        check_context(malformed_json[i].name);
        CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, S("m"), malformed_json[i].data,
                                  malformed_json[i].len),
                     FERROLOG_INVALID_JSON);
        CHECK_RESULT(ferrolog_logger_child(logger, malformed_json[i].data, malformed_json[i].len,
                                           &child),
                     FERROLOG_INVALID_JSON);
        CHECK(child == NULL);
    }
    check_context(NULL);
}

/* {"a":{"a":...1...}} nested `depth` levels, NUL-terminated, in `buf`; returns its length. */
static size_t nested_object(char *buf, size_t capacity, int depth) {
    size_t len = 0;
    for (int i = 0; i < depth && len + 5 < capacity; ++i) len += (size_t)sprintf(buf + len, "{\"a\":");
    buf[len++] = '1';
    for (int i = 0; i < depth && len + 1 < capacity; ++i) buf[len++] = '}';
    buf[len] = '\0';
    return len;
}

/* Attributes nest at most 64 levels: deeper ones are refused on the call, never lost later. */
static void test_nesting_depth(ferrolog_logger *logger) {
    static char json[8192];
    ferrolog_logger *child = NULL;
    size_t len = nested_object(json, sizeof json, 64);
    CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, S("deep"), json, len), FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_child(logger, json, len, &child), FERROLOG_OK);
    ferrolog_logger_free(child);
    const int too_deep[] = {65, 127, 128, 1000};
    for (size_t i = 0; i < COUNT(too_deep); ++i) {
        len = nested_object(json, sizeof json, too_deep[i]);
        child = NULL;
        CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, S("deeper"), json, len),
                     FERROLOG_INVALID_JSON);
        CHECK_RESULT(ferrolog_logger_child(logger, json, len, &child), FERROLOG_INVALID_JSON);
        CHECK(child == NULL);
    }
}

static void test_levels(ferrolog_client *client, ferrolog_logger *logger) {
    for (size_t i = 0; i < COUNT(invalid_levels); i++) {
        int32_t level = invalid_levels[i];
        CHECK_RESULT(ferrolog_log(logger, level, S("m"), NULL, 0), FERROLOG_INVALID_ARGUMENT);
        CHECK_RESULT(ferrolog_log_kv(logger, level, S("m"), NULL, 0), FERROLOG_INVALID_ARGUMENT);
        CHECK_RESULT(ferrolog_client_set_min_level(client, level), FERROLOG_INVALID_ARGUMENT);
        CHECK(!ferrolog_logger_enabled(logger, level));
    }
    /* The refused minimum levels left the gate where it was: everything passes. */
    CHECK(ferrolog_logger_enabled(logger, FERROLOG_LEVEL_DEBUG));

    const struct {
        const char *name;
        ferrolog_result result;
        int32_t level;
    } names[] = {
        {"warn", FERROLOG_OK, FERROLOG_LEVEL_WARNING},
        {"WARNING", FERROLOG_OK, FERROLOG_LEVEL_WARNING},
        {"fatal", FERROLOG_OK, FERROLOG_LEVEL_CRITICAL},
        {"Emergency", FERROLOG_OK, FERROLOG_LEVEL_EMERGENCY},
        {"8", FERROLOG_OK, FERROLOG_LEVEL_DEBUG},
        {"0", FERROLOG_INVALID_ARGUMENT, 0},
        {"9", FERROLOG_INVALID_ARGUMENT, 0},
        {"verbose", FERROLOG_INVALID_ARGUMENT, 0},
    };
    for (size_t i = 0; i < COUNT(names); i++) {
        int32_t level = 0;
        check_context(names[i].name);
        CHECK_RESULT(ferrolog_level_from_name(names[i].name, strlen(names[i].name), &level),
                     names[i].result);
        CHECK(level == names[i].level);
    }
    check_context(NULL);
}

/* Entries beyond the queue's byte bound (32 MiB by default) are dropped, not truncated. */
static void test_sizes(ferrolog_client *client, ferrolog_logger *logger) {
    const size_t huge = (size_t)64 << 20;
    const size_t large = (size_t)1 << 20;
    char *text = (char *)malloc(huge);
    if (!CHECK(text != NULL)) {
        return;
    }
    memset(text, 'x', huge);
    const ferrolog_attribute huge_value[] = {{S("blob"), text, huge}};
    CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, text, huge, NULL, 0), FERROLOG_DROPPED);
    CHECK_RESULT(ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, S("m"), huge_value, 1),
                 FERROLOG_DROPPED);
    CHECK_U64(client_counter(client, "queue_overflow"), 2);
    CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, text, large, NULL, 0), FERROLOG_OK);
    free(text);
}

static void test_config_errors(void) {
    const struct {
        const char *key;
        const char *value;
    } refused[] = {
        {"no_such_option", "1"},
        {"batch_size", "0"},
        {"flush_interval", "-1"},
        {"sample_rate", "2"},
        {"overflow", "spill"},
        {"endpoint", "ftp://example.com"},
        {"min_level", "verbose"},
        {"http_timeout", "0"},
    };
    ferrolog_config *config = NULL;
    ferrolog_client *client = NULL;
    ferrolog_error *error = NULL;
    CHECK_RESULT(ferrolog_config_new(&config), FERROLOG_OK);
    for (size_t i = 0; i < COUNT(refused); i++) {
        check_context(refused[i].key);
        CHECK_RESULT(set_option(config, refused[i].key, refused[i].value, &error),
                     FERROLOG_CONFIG_ERROR);
        expect_error(&error, FERROLOG_CONFIG_ERROR, refused[i].key);
        /* The error object is optional. */
        CHECK_RESULT(set_option(config, refused[i].key, refused[i].value, NULL),
                     FERROLOG_CONFIG_ERROR);
    }
    check_context(NULL);

    /* Errors from the environment name the variable. */
    setenv("FERROLOG_BATCH_SIZE", "lots", 1);
    CHECK_RESULT(ferrolog_config_apply_env(config, &error), FERROLOG_CONFIG_ERROR);
    expect_error(&error, FERROLOG_CONFIG_ERROR, "FERROLOG_BATCH_SIZE");
    unsetenv("FERROLOG_BATCH_SIZE");

    /* Every option above was refused, so the configuration still lacks its api_key. */
    CHECK_RESULT(ferrolog_client_new(config, &client, &error), FERROLOG_CONFIG_ERROR);
    expect_error(&error, FERROLOG_CONFIG_ERROR, "api_key");
    CHECK(client == NULL);
    ferrolog_config_free(config);
}

static void test_result_strings(void) {
    const char *unknown = "unknown result";
    for (int32_t code = FERROLOG_OK; code <= FERROLOG_TOO_LARGE; code++) {
        const char *text = ferrolog_result_str(code);
        CHECK(text != NULL && text[0] != '\0' && strcmp(text, unknown) != 0);
        for (int32_t other = FERROLOG_OK; text != NULL && other < code; other++) {
            CHECK(strcmp(text, ferrolog_result_str(other)) != 0);
        }
    }
    const int32_t unknown_codes[] = {-1, FERROLOG_TOO_LARGE + 1, 1000, INT32_MIN};
    for (size_t i = 0; i < COUNT(unknown_codes); i++) {
        CHECK(strcmp(ferrolog_result_str(unknown_codes[i]), unknown) == 0);
    }
    const char *version = ferrolog_version();
    CHECK(version != NULL && version[0] >= '0' && version[0] <= '9' && strchr(version, '.'));
    CHECK(ferrolog_abi_version() == FERROLOG_ABI_VERSION);
}

static void test_stats_names(ferrolog_stats *stats) {
    static const char *const documented[] = {
        "accepted",       "sent",          "retried",    "requests",          "queued",
        "dropped",        "queue_overflow", "network_error", "send_error", "ratelimit_backoff",
        "quota_exceeded", "before_send",   "validation_error", "sampled",         "shutdown",
    };
    uint64_t value = 0;
    for (size_t i = 0; i < COUNT(documented); i++) {
        check_context(documented[i]);
        CHECK_RESULT(ferrolog_stats_get(stats, documented[i], strlen(documented[i]), &value),
                     FERROLOG_OK);
    }
    check_context(NULL);
    value = 42;
    CHECK_RESULT(ferrolog_stats_get(stats, S("bogus"), &value), FERROLOG_INVALID_ARGUMENT);
    CHECK(value == 42);
}

/* After shutdown every log call says so; the logger even outlives its client. */
static void test_after_shutdown(ferrolog_client *client, ferrolog_logger *logger) {
    uint64_t left = 99;
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, &left), FERROLOG_OK);
    CHECK_U64(left, 0);
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, &left), FERROLOG_OK);
    CHECK_RESULT(ferrolog_client_flush(client, 100, &left), FERROLOG_OK);
    CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_ERROR, S("late"), NULL, 0),
                 FERROLOG_SHUT_DOWN);
    CHECK_RESULT(ferrolog_log_kv(logger, FERROLOG_LEVEL_ERROR, S("late"), NULL, 0),
                 FERROLOG_SHUT_DOWN);
    ferrolog_logger *child = NULL;
    if (ferrolog_logger_child(logger, S("{\"a\":1}"), &child) == FERROLOG_OK) {
        CHECK_RESULT(ferrolog_log(child, FERROLOG_LEVEL_ERROR, S("late"), NULL, 0),
                     FERROLOG_SHUT_DOWN);
    }
    ferrolog_logger_free(child);
    CHECK_U64(client_counter(client, "queued"), 0);

    ferrolog_client_free(client);
    CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_ERROR, S("late"), NULL, 0),
                 FERROLOG_SHUT_DOWN);
}

int main(void) {
    const struct test_option options[] = {
        {"api_key", "test-key"},
        {"endpoint", UNUSED_ENDPOINT},
        {"max_retries", "0"},
        {"http_timeout", "1"},
    };
    ferrolog_client *client = start_client(options, COUNT(options));
    ferrolog_logger *logger = NULL;
    ferrolog_config *config = NULL;
    ferrolog_stats *stats = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);
    CHECK_RESULT(ferrolog_config_new(&config), FERROLOG_OK);
    CHECK_RESULT(ferrolog_client_stats(client, &stats), FERROLOG_OK);

    test_null_arguments(config, client, logger, stats);
    test_empty_strings(config, logger, stats);
    test_invalid_utf8(config, logger, stats);
    test_split_characters(logger);
    test_typed_tables(logger);
    test_malformed_json(logger);
    test_nesting_depth(logger);
    test_levels(client, logger);
    test_sizes(client, logger);
    test_config_errors();
    test_result_strings();
    test_stats_names(stats);
    test_after_shutdown(client, logger);

    ferrolog_stats_free(stats);
    ferrolog_config_free(config);
    ferrolog_logger_free(logger);
    return check_finish();
}
