/* One request's life, as a service sees it: the trace continued from the caller's header, a
 * scope for the request with its user, a child span for the database call, breadcrumbs on the
 * way, and the error captured at the end with its frames, cause and trail. Personal data in
 * the entries is scrubbed before it leaves. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferrolog.h"

#define STR(literal) ((ferrolog_str){(literal), sizeof(literal) - 1})
static const ferrolog_str none = {NULL, 0};

static void must(ferrolog_result result, const char *what, ferrolog_error *error) {
    if (result != FERROLOG_OK) {
        fprintf(stderr, "%s: %s. %s\n", what, ferrolog_result_str(result),
                ferrolog_error_message(error));
        ferrolog_error_free(error);
        exit(EXIT_FAILURE);
    }
}

static void set(ferrolog_config *config, const char *key, const char *value) {
    ferrolog_error *error = NULL;
    must(ferrolog_config_set(config, key, strlen(key), value, strlen(value), &error), key, error);
}

static void say(const ferrolog_logger *logger, int32_t level, const char *message) {
    must(ferrolog_log(logger, level, message, strlen(message), NULL, 0), message, NULL);
}

int main(void) {
    const char *endpoint = getenv("FERROLOG_ENDPOINT");
    ferrolog_config *config;
    ferrolog_client *client;
    ferrolog_logger *root, *request, *traced;
    ferrolog_span *server, *query;
    ferrolog_error *error = NULL;
    must(ferrolog_config_new(&config), "config", NULL);
    set(config, "api_key", "eu-lf_demo-key");
    set(config, "endpoint", endpoint ? endpoint : "http://127.0.0.1:4318");
    set(config, "source", "checkout");
    set(config, "key_persistence", "false");
    must(ferrolog_client_new(config, &client, &error), "client", error);
    ferrolog_config_free(config);
    must(ferrolog_client_logger(client, &root), "logger", NULL);

    /* The caller sent its trace along. */
    const ferrolog_header headers[] = {
        {STR("traceparent"), STR("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")},
    };
    must(ferrolog_logger_scope(root, &request), "scope", NULL);
    must(ferrolog_logger_set_user(request, STR("usr_456")), "user", NULL);
    must(ferrolog_logger_set_request(request, STR("POST"), STR("/checkout"), STR("req-1")),
         "request", NULL);
    must(ferrolog_span_continue_from_headers(request, headers, 1, STR("POST /checkout"),
                                             STR("http.server"), &server),
         "span", NULL);
    must(ferrolog_span_logger(server, &traced), "traced logger", NULL);

    say(traced, FERROLOG_LEVEL_INFO, "cart loaded for jane.doe@example.com");
    must(ferrolog_span_start_child(server, STR("SELECT stock"), STR("db.query"), &query),
         "child span", NULL);
    must(ferrolog_logger_add_breadcrumb(traced, STR("db"), STR("SELECT stock"), 0,
                                        STR("{\"rows\":\"0\"}")),
         "breadcrumb", NULL);
    must(ferrolog_span_set_error(query, STR("no stock")), "span error", NULL);
    must(ferrolog_span_end(query), "end child", NULL);

    const ferrolog_frame frames[] = {
        {STR("reserve_stock"), STR("checkout/stock.c"), 88},
        {STR("handle_checkout"), STR("checkout/handler.c"), 41},
    };
    const ferrolog_cause causes[] = {{STR("DbError"), STR("0 rows for sku-7")}};
    must(ferrolog_capture_error(traced, STR("OutOfStock"), STR("sku-7 is out of stock"), frames,
                                2, causes, 1, STR("{\"sku\":\"sku-7\"}"), none),
         "capture", NULL);
    must(ferrolog_span_set_error(server, STR("out of stock")), "server error", NULL);
    must(ferrolog_span_end(server), "end span", NULL);

    uint64_t left = 0;
    must(ferrolog_client_shutdown(client, 10000, &left), "shutdown", NULL);
    printf("one request: a continued trace, a scope, a child span, a captured error\n");
    ferrolog_span_free(query);
    ferrolog_span_free(server);
    ferrolog_logger_free(traced);
    ferrolog_logger_free(request);
    ferrolog_logger_free(root);
    ferrolog_client_free(client);
    return 0;
}
