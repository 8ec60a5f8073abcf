/*
 * Before-send hooks and per-signal sampling through the C ABI: a hook that rewrites, one that
 * drops, a hook that logs from inside itself, and sampling rates per signal with audit never
 * sampled. The collector shows what was sent (the hook saw the address the worker then
 * scrubbed); the stats count what was not.
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

struct hook_state {
    int calls;
    /* Set once the client exists: the hook logs through it to show that it cannot recurse. */
    const ferrolog_logger *logger;
};

/* Drops entries whose message mentions "drop me", rewrites "rewrite me", and logs a note
 * from inside itself for "note me". */
static ferrolog_result log_hook(void *userdata, ferrolog_hook_entry *entry, const char *json,
                                size_t json_len) {
    struct hook_state *state = userdata;
    state->calls++;
    CHECK(strlen(json) == json_len);
    CHECK_CONTAINS(json, "\"type\":\"log\"");
    if (strstr(json, "drop me") != NULL) {
        return FERROLOG_FILTERED;
    }
    if (strstr(json, "rewrite me") != NULL) {
        char replacement[160];
        int length = snprintf(replacement, sizeof replacement,
                              "{\"level\":\"warn\",\"message\":\"%s rewritten\","
                              "\"attributes\":{\"checked\":true}}",
                              run_tag);
        CHECK_RESULT(ferrolog_hook_entry_replace(entry, replacement, (size_t)length), FERROLOG_OK);
        /* A bad replacement is refused and changes nothing. */
        CHECK_RESULT(ferrolog_hook_entry_replace(entry, S("{\"level\":42}")),
                     FERROLOG_INVALID_ARGUMENT);
        CHECK_RESULT(ferrolog_hook_entry_replace(entry, S("not json")), FERROLOG_INVALID_JSON);
        CHECK_RESULT(ferrolog_hook_entry_replace(NULL, S("{}")), FERROLOG_NULL_ARGUMENT);
    }
    if (strstr(json, "note me") != NULL && state->logger != NULL) {
        char note[64];
        int length = snprintf(note, sizeof note, "%s noted from the hook", run_tag);
        CHECK_RESULT(ferrolog_log(state->logger, FERROLOG_LEVEL_INFO, note, (size_t)length, "", 0),
                     FERROLOG_OK);
    }
    return FERROLOG_OK;
}

static ferrolog_result drop_all(void *userdata, ferrolog_hook_entry *entry, const char *json,
                                size_t json_len) {
    (void)userdata, (void)entry, (void)json, (void)json_len;
    return FERROLOG_FILTERED;
}

static ferrolog_client *start(ferrolog_config *config) {
    ferrolog_client *client = NULL;
    ferrolog_error *error = NULL;
    if (!CHECK_RESULT(ferrolog_client_new(config, &client, &error), FERROLOG_OK)) {
        fprintf(stderr, "    %s\n", ferrolog_error_message(error));
        ferrolog_error_free(error);
    }
    ferrolog_config_free(config);
    return client;
}

static ferrolog_config *configure(const char *sample_options[][2], size_t count) {
    ferrolog_config *config = NULL;
    CHECK_RESULT(ferrolog_config_new(&config), FERROLOG_OK);
    CHECK_RESULT(ferrolog_config_set(config, S("api_key"), S("hooks-key"), NULL), FERROLOG_OK);
    const char *endpoint = required_env("FERROLOG_TEST_ENDPOINT");
    CHECK_RESULT(ferrolog_config_set(config, S("endpoint"), endpoint, strlen(endpoint), NULL),
                 FERROLOG_OK);
    for (size_t i = 0; i < count; i++) {
        const char *key = sample_options[i][0], *value = sample_options[i][1];
        CHECK_RESULT(ferrolog_config_set(config, key, strlen(key), value, strlen(value), NULL),
                     FERROLOG_OK);
    }
    return config;
}

static ferrolog_result log_tagged(const ferrolog_logger *logger, const char *text) {
    char message[96];
    int length = snprintf(message, sizeof message, "%s %s", run_tag, text);
    return ferrolog_log(logger, FERROLOG_LEVEL_INFO, message, (size_t)length,
                        S("{\"ip\":\"10.0.0.1\"}"));
}

static uint64_t counter(const ferrolog_client *client, const char *name) {
    ferrolog_stats *stats = NULL;
    uint64_t value = 0;
    CHECK_RESULT(ferrolog_client_stats(client, &stats), FERROLOG_OK);
    CHECK_RESULT(ferrolog_stats_get(stats, name, strlen(name), &value), FERROLOG_OK);
    ferrolog_stats_free(stats);
    return value;
}

static void test_hooks(void) {
    struct hook_state state = {0, NULL};
    ferrolog_config *config = configure(NULL, 0);
    CHECK_RESULT(ferrolog_config_set_before_send(config, 1, log_hook, &state), FERROLOG_OK);
    CHECK_RESULT(ferrolog_config_set_before_send(config, 4, drop_all, NULL), FERROLOG_OK);
    CHECK_RESULT(ferrolog_config_set_before_send(config, 0, drop_all, NULL),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_config_set_before_send(config, 8, drop_all, NULL),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_config_set_before_send(NULL, 1, drop_all, NULL), FERROLOG_NULL_ARGUMENT);
    /* Set and cleared again: audit entries are not hooked. */
    CHECK_RESULT(ferrolog_config_set_before_send(config, 5, drop_all, NULL), FERROLOG_OK);
    CHECK_RESULT(ferrolog_config_set_before_send(config, 5, NULL, NULL), FERROLOG_OK);
    ferrolog_client *client = start(config);
    ferrolog_logger *logger = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);
    state.logger = logger;

    CHECK_RESULT(log_tagged(logger, "kept as it was"), FERROLOG_OK);
    CHECK_RESULT(log_tagged(logger, "drop me"), FERROLOG_FILTERED);
    CHECK_RESULT(log_tagged(logger, "rewrite me"), FERROLOG_OK);
    CHECK_RESULT(log_tagged(logger, "note me"), FERROLOG_OK);
    CHECK_RESULT(ferrolog_event(logger, STR("hooks.dropped"), STR("")), FERROLOG_FILTERED);
    char action[64];
    int length = snprintf(action, sizeof action, "%s audited", run_tag);
    CHECK_RESULT(ferrolog_audit(logger, (ferrolog_str){action, (size_t)length}, STR("u1"),
                                STR(""), STR("doc"), STR("7"), STR(""), STR("")),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_client_flush(client, 5000, NULL), FERROLOG_OK);
    /* Four logs, not the note logged from inside the hook. */
    CHECK(state.calls == 4);
    CHECK_U64(counter(client, "before_send"), 2);

    char filter[64], line[256];
    snprintf(filter, sizeof filter, "text=%s", run_tag);
    char *lines = collector_entries(filter);
    if (CHECK(lines != NULL)) {
        const char *expected[] = {
            "[7,\"%s kept as it was\",{\"ip\":\"[REDACTED:ip]\"},\"default\",\"log\"]",
            "[5,\"%s rewritten\",{\"checked\":true},\"default\",\"log\"]",
            "[7,\"%s note me\",{\"ip\":\"[REDACTED:ip]\"},\"default\",\"log\"]",
            "[7,\"%s noted from the hook\",{},\"default\",\"log\"]",
            "[7,\"%s audited\",{},\"default\",\"audit\"]",
        };
        for (size_t i = 0; i < COUNT(expected); i++) {
            snprintf(line, sizeof line, expected[i], run_tag);
            if (!CHECK(has_line(lines, line))) {
                fprintf(stderr, "    missing: %s\n    got:\n%s\n", line, lines);
            }
        }
        CHECK(count_lines(lines) == COUNT(expected));
    }
    free(lines);
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, NULL), FERROLOG_OK);
    /* After shutdown no hook runs: the entry is refused before it could reach one. */
    CHECK_RESULT(log_tagged(logger, "drop me"), FERROLOG_SHUT_DOWN);
    CHECK(state.calls == 4);
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
}

static void test_sampling(void) {
    const char *options[][2] = {
        {"sample_rate", "0"},
        {"metrics_sample_rate", "1"},
    };
    ferrolog_client *client = start(configure(options, COUNT(options)));
    ferrolog_logger *logger = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);
    for (int i = 0; i < 10; i++) {
        CHECK_RESULT(log_tagged(logger, "sampled out"), FERROLOG_FILTERED);
        CHECK_RESULT(ferrolog_event(logger, STR("sampled.out"), STR("")), FERROLOG_FILTERED);
        CHECK_RESULT(ferrolog_metric(logger, FERROLOG_METRIC_COUNTER, STR("kept.metric"), 1.0, STR(""), STR("")),
                     FERROLOG_OK);
        CHECK_RESULT(ferrolog_audit(logger, STR("kept.audit"), STR("u1"), STR(""), STR("doc"),
                                    STR("7"), STR(""), STR("")),
                     FERROLOG_OK);
    }
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, NULL), FERROLOG_OK);
    CHECK_U64(counter(client, "sampled"), 20);
    CHECK_U64(counter(client, "sent"), 20);
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
}

int main(void) {
    snprintf(run_tag, sizeof run_tag, "hooks-%ld:", (long)getpid());
    test_hooks();
    test_sampling();
    return check_finish();
}
