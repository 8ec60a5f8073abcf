/*
 * Captured errors, scopes and breadcrumbs through the C ABI, over encrypted LogFlux (the one
 * protocol that carries chains and breadcrumbs): a scope's attributes under the entry's own,
 * nested scopes, the trail in order and within its cap, frames from the caller and from the
 * native stack, the fingerprint's golden value, and bad arguments.
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

/* The fingerprint docs/fingerprint.md gives for this KeyError and these three frames, whatever
 * the directories and lines. */
#define GOLDEN_FINGERPRINT "734dd4be66ae6fee6f064ea2c08fe0e0"

static char run_tag[32];

static ferrolog_str tagged(char *buffer, size_t size, const char *text) {
    int length = snprintf(buffer, size, "%s %s", run_tag, text);
    return (ferrolog_str){buffer, (size_t)length};
}

static void expect_line(const char *lines, const char *line) {
    if (!CHECK(lines != NULL && has_line(lines, line))) {
        fprintf(stderr, "    missing: %s\n    got:\n%s\n", line, lines ? lines : "(none)");
    }
}

static void test_scopes(ferrolog_logger *root) {
    ferrolog_logger *scope = NULL, *nested = NULL;
    CHECK_RESULT(ferrolog_logger_scope(root, &scope), FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_set_user(scope, STR("usr_456")), FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_set_request(scope, STR("GET"), STR("/api/users"), STR("req-9")),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_set_attribute(scope, STR("tenant"), STR("acme")), FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_set_attribute(root, STR("tenant"), STR("x")),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_logger_set_user(NULL, STR("u")), FERROLOG_NULL_ARGUMENT);
    CHECK_RESULT(ferrolog_logger_set_user(scope, (ferrolog_str){"\xff", 1}), FERROLOG_INVALID_UTF8);
    CHECK_RESULT(ferrolog_logger_scope(scope, &nested), FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_set_attribute(nested, STR("step"), STR("2")), FERROLOG_OK);

    char message[96];
    ferrolog_str text = tagged(message, sizeof message, "scoped");
    CHECK_RESULT(ferrolog_log(scope, FERROLOG_LEVEL_INFO, text.ptr, text.len,
                              S("{\"tenant\":\"explicit\"}")),
                 FERROLOG_OK);
    text = tagged(message, sizeof message, "nested");
    CHECK_RESULT(ferrolog_log(nested, FERROLOG_LEVEL_INFO, text.ptr, text.len, "", 0),
                 FERROLOG_OK);
    ferrolog_logger_free(nested);
    ferrolog_logger_free(scope);
}

static void test_errors(ferrolog_logger *root) {
    ferrolog_logger *scope = NULL;
    CHECK_RESULT(ferrolog_logger_scope(root, &scope), FERROLOG_OK);
    /* Four breadcrumbs into a trail of three: the oldest goes. A debug log leaves none. */
    CHECK_RESULT(ferrolog_logger_add_breadcrumb(scope, STR("boot"), STR("crumb-0"), 0, STR("")),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_log(scope, FERROLOG_LEVEL_INFO, S("crumb-1"), "", 0), FERROLOG_OK);
    CHECK_RESULT(ferrolog_log(scope, FERROLOG_LEVEL_DEBUG, S("not a crumb"), "", 0),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_event(scope, STR("crumb-2"), STR("")), FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_add_breadcrumb(scope, STR("http"), STR("crumb-3"),
                                                FERROLOG_LEVEL_WARNING,
                                                STR("{\"status\":\"503\"}")),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_logger_add_breadcrumb(scope, STR(""), STR("x"), 9, STR("")),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_logger_add_breadcrumb(scope, STR(""), STR("x"), 0, STR("{\"n\":1}")),
                 FERROLOG_INVALID_ARGUMENT);
    CHECK_RESULT(ferrolog_logger_add_breadcrumb(scope, STR(""), STR("x"), 0, STR("[")),
                 FERROLOG_INVALID_JSON);

    const ferrolog_frame frames[] = {
        {STR("load_user"), STR("/opt/other/app/repository.py"), 99},
        {STR("Service.get"), STR("/opt/other/app/service.py"), 7},
        {STR("<module>"), STR("main.py"), 0},
    };
    const ferrolog_cause causes[] = {{STR("LookupError"), STR("no row")}};
    char message[96];
    ferrolog_str text = tagged(message, sizeof message, "key-error");
    CHECK_RESULT(ferrolog_capture_error(scope, STR("KeyError"), text, frames, COUNT(frames),
                                        causes, COUNT(causes), STR("{\"table\":\"users\"}"),
                                        STR("{\"level\":\"critical\"}")),
                 FERROLOG_OK);
    char native_message[96];
    ferrolog_str native_text = tagged(native_message, sizeof native_message, "native");
    CHECK_RESULT(ferrolog_capture_error(root, STR("SIGSEGV"), native_text, NULL, 0, NULL, 0,
                                        STR(""), STR("")),
                 FERROLOG_OK);

    /* A storm: the limit is 3 per window (set in main), the rest fold into one summary. */
    int sent = 0, folded = 0;
    for (int i = 0; i < 8; i++) {
        ferrolog_result result =
            ferrolog_capture_error(root, STR("TimeoutError"), STR("storm of the same"), frames,
                                   COUNT(frames), NULL, 0, STR(""), STR(""));
        sent += result == FERROLOG_OK;
        folded += result == FERROLOG_FILTERED;
    }
    CHECK(sent == 3 && folded == 5);

    /* Bad arguments. */
    CHECK_RESULT(ferrolog_capture_error(NULL, STR("E"), STR("m"), NULL, 0, NULL, 0, STR(""),
                                        STR("")),
                 FERROLOG_NULL_ARGUMENT);
    CHECK_RESULT(ferrolog_capture_error(root, STR("E"), STR("m"), frames, 1, NULL, 1, STR(""),
                                        STR("")),
                 FERROLOG_NULL_ARGUMENT);
    CHECK_RESULT(ferrolog_capture_error(root, STR("E"), STR("m"), frames, 0, NULL, 0, STR("[1]"),
                                        STR("")),
                 FERROLOG_INVALID_JSON);
    CHECK_RESULT(ferrolog_capture_error(root, STR("E"), STR("m"), frames, 0, NULL, 0, STR(""),
                                        STR("{\"colour\":\"red\"}")),
                 FERROLOG_INVALID_ARGUMENT);
    const ferrolog_frame bad_frame[] = {{{"\xc3", 1}, STR("m.py"), 1}};
    CHECK_RESULT(ferrolog_capture_error(root, STR("E"), STR("m"), bad_frame, 1, NULL, 0, STR(""),
                                        STR("")),
                 FERROLOG_INVALID_UTF8);
    ferrolog_logger_free(scope);
}

static void check_collector(void) {
    char filter[64], line[1024];
    snprintf(filter, sizeof filter, "text=%s", run_tag);
    char *lines = collector_entries(filter);
    snprintf(line, sizeof line,
             "[7,\"%s scoped\",{\"http.method\":\"GET\",\"http.path\":\"/api/users\","
             "\"http.request_id\":\"req-9\",\"tenant\":\"explicit\",\"user.id\":\"usr_456\"},"
             "null,\"log\"]",
             run_tag);
    expect_line(lines, line);
    snprintf(line, sizeof line,
             "[7,\"%s nested\",{\"http.method\":\"GET\",\"http.path\":\"/api/users\","
             "\"http.request_id\":\"req-9\",\"step\":\"2\",\"tenant\":\"acme\","
             "\"user.id\":\"usr_456\"},null,\"log\"]",
             run_tag);
    expect_line(lines, line);
    free(lines);

    lines = collector_errors(filter);
    snprintf(line, sizeof line,
             "[\"%s key-error\",{\"breadcrumbs\":["
             "{\"category\":\"log\",\"level\":\"info\",\"message\":\"crumb-1\",\"timestamp\":",
             run_tag);
    CHECK_CONTAINS(lines ? lines : "", line);
    CHECK_CONTAINS(lines ? lines : "",
                   "{\"category\":\"event\",\"level\":\"info\",\"message\":\"crumb-2\"");
    CHECK_CONTAINS(lines ? lines : "",
                   "{\"category\":\"http\",\"data\":{\"status\":\"503\"},\"level\":\"warning\","
                   "\"message\":\"crumb-3\"");
    CHECK(lines == NULL || strstr(lines, "crumb-0") == NULL);
    snprintf(line, sizeof line,
             "\"error_chain\":[{\"message\":\"%s key-error\",\"type\":\"KeyError\"},"
             "{\"message\":\"no row\",\"type\":\"LookupError\"}]",
             run_tag);
    CHECK_CONTAINS(lines ? lines : "", line);
    /* The native stack starts at the caller: none of the library's own frames. */
    CHECK(lines == NULL || strstr(lines, "ferrolog::") == NULL);
    CHECK_CONTAINS(lines ? lines : "",
                   "\"stack_trace\":[{\"file\":\"/opt/other/app/repository.py\","
                   "\"function\":\"load_user\",\"line\":99},");
    CHECK_CONTAINS(lines ? lines : "", "\"" GOLDEN_FINGERPRINT "\"]");
    /* The native capture starts at this test's own function. */
    CHECK_CONTAINS(lines ? lines : "", "\"stack_trace\":[{\"file\":\"");
    CHECK_CONTAINS(lines ? lines : "", "errors_and_scopes.c\",\"function\":\"test_errors\"");
    free(lines);
}

int main(void) {
    snprintf(run_tag, sizeof run_tag, "errors-%ld:", (long)getpid());
    const struct test_option options[] = {
        {"api_key", "eu-lf_errors-test"},
        {"endpoint", required_env("FERROLOG_TEST_COLLECTOR")},
        {"key_persistence", "false"},
        {"max_breadcrumbs", "3"},
        {"error_storm_limit", "3"},
    };
    ferrolog_client *client = start_client(options, COUNT(options));
    ferrolog_logger *root = NULL;
    CHECK_RESULT(ferrolog_client_logger(client, &root), FERROLOG_OK);
    test_scopes(root);
    test_errors(root);
    CHECK_RESULT(ferrolog_client_flush(client, 10000, NULL), FERROLOG_OK);
    check_collector();
    ferrolog_logger_free(root);
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, NULL), FERROLOG_OK);
    /* The shutdown closed the storm's window and sent its summary. */
    ferrolog_stats *stats = NULL;
    uint64_t value = 0;
    CHECK_RESULT(ferrolog_client_stats(client, &stats), FERROLOG_OK);
    CHECK_RESULT(ferrolog_stats_get(stats, S("folded"), &value), FERROLOG_OK);
    CHECK_U64(value, 5);
    ferrolog_stats_free(stats);
    char *lines = collector_entries("text=storm of the same (repeated 5 times)");
    CHECK(lines != NULL && count_lines(lines) == 1);
    free(lines);
    ferrolog_client_free(client);
    return check_finish();
}
