/* Every entry type over LogFlux's encrypted protocol: a log, a metric, an event, an audit
 * record, telemetry (sealed and managed) and a finished span. The key's shape picks the
 * protocol; the first send makes the handshake, in the background. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(void) {
    const char *endpoint = getenv("FERROLOG_ENDPOINT");
    const char *sessions = getenv("FERROLOG_SESSIONS");
    ferrolog_config *config;
    ferrolog_client *client;
    ferrolog_logger *logger;
    ferrolog_error *error = NULL;
    must(ferrolog_config_new(&config), "config", NULL);
    set(config, "api_key", "eu-lf_demo-key");
    set(config, "endpoint", endpoint ? endpoint : "http://127.0.0.1:4318");
    set(config, "source", "billing");
    if (sessions) set(config, "key_persistence_path", sessions);
    must(ferrolog_client_new(config, &client, &error), "client", error);
    ferrolog_config_free(config);
    must(ferrolog_client_logger(client, &logger), "logger", NULL);

    const char *log = "invoice sent";
    must(ferrolog_log(logger, FERROLOG_LEVEL_INFO, log, strlen(log), "{\"invoice\":\"i-7\"}", 17),
         "log", NULL);
    must(ferrolog_metric(logger, FERROLOG_METRIC_COUNTER, STR("invoices.sent"), 1, none, none),
         "metric", NULL);
    must(ferrolog_event(logger, STR("invoice.paid"), STR("{\"amount\":42.5}")), "event", NULL);
    must(ferrolog_audit(logger, STR("invoice.void"), STR("u-1"), STR("user"), STR("invoice"),
                        STR("i-7"), none, none),
         "audit", NULL);
    const ferrolog_reading readings[] = {{STR("temperature"), 21.5, STR("C")}};
    must(ferrolog_telemetry(logger, STR("meter-1"), readings, 1, false, none), "telemetry", NULL);
    must(ferrolog_telemetry(logger, STR("meter-2"), readings, 1, true, none), "managed", NULL);
    uint64_t end = now_ns();
    must(ferrolog_span_record(logger, STR("4bf92f3577b34da6a3ce929d0e0e4736"),
                              STR("00f067aa0ba902b7"), none, STR("db.query"),
                              STR("SELECT invoices"), end - 4000000, end, false, none),
         "span", NULL);

    uint64_t left = 0;
    must(ferrolog_client_shutdown(client, 10000, &left), "shutdown", NULL);
    printf("7 entries of 7 types sent over LogFlux, encrypted\n");
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
    return 0;
}
