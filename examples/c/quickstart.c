/* ferrolog quickstart: configure, log with context, flush, read the stats, shut down. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferrolog.h"

/* Exits with the reason when a call failed; `error` may be NULL for calls without one. */
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

static const char *env_or(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return value != NULL && value[0] != '\0' ? value : fallback;
}

/* Logging never fails loudly: a refused entry (filtered, dropped) is reported, not fatal. */
static void log_json(const ferrolog_logger *logger, int32_t level, const char *message,
                     const char *attributes) {
    ferrolog_result result = ferrolog_log(logger, level, message, strlen(message), attributes,
                                          strlen(attributes));
    if (result != FERROLOG_OK) {
        fprintf(stderr, "\"%s\" not logged: %s\n", message, ferrolog_result_str(result));
    }
}

int main(void) {
    if (ferrolog_abi_version() != FERROLOG_ABI_VERSION) {
        fprintf(stderr, "libferrolog does not match ferrolog.h\n");
        return EXIT_FAILURE;
    }
    ferrolog_config *config = NULL;
    ferrolog_client *client = NULL;
    ferrolog_error *error = NULL;
    must(ferrolog_config_new(&config), "config", NULL);
    set(config, "api_key", env_or("FERROLOG_API_KEY", "demo-key"));
    set(config, "endpoint", env_or("FERROLOG_ENDPOINT", "http://127.0.0.1:4318/v1/logs"));
    set(config, "environment", "development");
    must(ferrolog_client_new(config, &client, &error), "client", error);
    ferrolog_config_free(config); /* the client keeps its own copy */

    /* Every entry from a child logger carries its attributes. */
    ferrolog_logger *root = NULL;
    ferrolog_logger *request = NULL;
    must(ferrolog_client_logger(client, &root), "root logger", NULL);
    const char context[] = "{\"request_id\":\"req-42\",\"route\":\"/checkout\"}";
    must(ferrolog_logger_child(root, context, strlen(context), &request), "child logger", NULL);

    log_json(request, FERROLOG_LEVEL_INFO, "checkout started", "{\"items\":3}");
    log_json(request, FERROLOG_LEVEL_WARNING, "payment slow", "{\"latency_ms\":1840}");
    log_json(request, FERROLOG_LEVEL_ERROR, "payment declined", "{\"code\":\"card_expired\"}");

    /* Entries go out in the background; flush waits for them, up to a deadline. */
    uint64_t left = 0;
    if (ferrolog_client_flush(client, 5000, &left) != FERROLOG_OK) {
        fprintf(stderr, "flush: %llu entries still owed\n", (unsigned long long)left);
    }

    ferrolog_stats *stats = NULL;
    size_t needed = 0;
    must(ferrolog_client_stats(client, &stats), "stats", NULL);
    ferrolog_stats_json(stats, NULL, 0, &needed); /* asks for the size, NUL included */
    char *json = malloc(needed);
    if (json != NULL && ferrolog_stats_json(stats, json, needed, NULL) == FERROLOG_OK) {
        printf("stats: %s\n", json);
    }
    free(json);
    ferrolog_stats_free(stats);

    must(ferrolog_client_shutdown(client, 2000, NULL), "shutdown", NULL);
    ferrolog_logger_free(request);
    ferrolog_logger_free(root);
    ferrolog_client_free(client);
    return EXIT_SUCCESS;
}
