/*
 * Configuration from the environment through the C ABI: the reference SDKs' variable names,
 * the most specific variable winning, and explicit options winning over all of them. The
 * entries the collector stores show which value each option took.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "collector.h"
#include "ferrolog.h"

static char run_tag[32];

/* A client configured from the environment, then `environment` set explicitly when given;
 * logs one tagged entry, shuts down and checks that it was delivered. */
static void log_one(const char *text, const char *explicit_environment) {
    ferrolog_config *config = NULL;
    ferrolog_client *client = NULL;
    ferrolog_logger *logger = NULL;
    ferrolog_error *error = NULL;
    CHECK_RESULT(ferrolog_config_new(&config), FERROLOG_OK);
    CHECK_RESULT(ferrolog_config_apply_env(config, &error), FERROLOG_OK);
    if (explicit_environment != NULL) {
        CHECK_RESULT(ferrolog_config_set(config, S("environment"), explicit_environment,
                                         strlen(explicit_environment), &error),
                     FERROLOG_OK);
    }
    if (!CHECK_RESULT(ferrolog_client_new(config, &client, &error), FERROLOG_OK)) {
        fprintf(stderr, "    %s\n", ferrolog_error_message(error));
        ferrolog_error_free(error);
        ferrolog_config_free(config);
        return;
    }
    ferrolog_config_free(config);
    CHECK_RESULT(ferrolog_client_logger(client, &logger), FERROLOG_OK);
    char message[128];
    int length = snprintf(message, sizeof message, "%s %s", run_tag, text);
    CHECK_RESULT(ferrolog_log(logger, FERROLOG_LEVEL_INFO, message, (size_t)length, "", 0),
                 FERROLOG_OK);
    CHECK_RESULT(ferrolog_client_shutdown(client, 5000, NULL), FERROLOG_OK);
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
}

static void expect_entry(const char *text, const char *environment) {
    char filter[64], line[256];
    snprintf(filter, sizeof filter, "text=%s", run_tag);
    snprintf(line, sizeof line, "[7,\"%s %s\",{},\"%s\",\"log\"]", run_tag, text, environment);
    char *lines = collector_entries(filter);
    if (!CHECK(lines != NULL && has_line(lines, line))) {
        fprintf(stderr, "    missing: %s\n    got: %s\n", line, lines ? lines : "(no answer)");
    }
    free(lines);
}

int main(void) {
    snprintf(run_tag, sizeof run_tag, "env-%ld:", (long)getpid());
    setenv("FERROLOG_ENDPOINT", required_env("FERROLOG_TEST_ENDPOINT"), 1);
    setenv("LUMINALOG_API_KEY", "luminalog-env-key", 1);
    setenv("ENVIRONMENT", "plain-environment", 1);
    /* Shadowed by FERROLOG_BATCH_SIZE, so never read: its bad value is no error. */
    setenv("LOGFLUX_BATCH_SIZE", "lots", 1);
    setenv("FERROLOG_BATCH_SIZE", "60", 1);

    log_one("reference names", NULL);
    expect_entry("reference names", "plain-environment");

    setenv("LOGFLUX_ENVIRONMENT", "logflux-environment", 1);
    log_one("more specific", NULL);
    expect_entry("more specific", "logflux-environment");

    log_one("explicit", "explicit-environment");
    expect_entry("explicit", "explicit-environment");

    /* A bad value that is read names its variable. */
    unsetenv("FERROLOG_BATCH_SIZE");
    ferrolog_config *config = NULL;
    ferrolog_error *error = NULL;
    CHECK_RESULT(ferrolog_config_new(&config), FERROLOG_OK);
    CHECK_RESULT(ferrolog_config_apply_env(config, &error), FERROLOG_CONFIG_ERROR);
    if (CHECK(error != NULL)) {
        CHECK_CONTAINS(ferrolog_error_message(error), "LOGFLUX_BATCH_SIZE");
        ferrolog_error_free(error);
    }
    ferrolog_config_free(config);
    return check_finish();
}
