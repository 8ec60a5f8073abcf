/*
 * The conformance scenario through the C ABI: performs each step of scenario.json and prints
 * one line {"step":N,"outcome":"accepted|filtered|refused"} per step it ran. check.py runs it.
 *
 *     run SCENARIO OPTIONS_JSON MARKER LANGUAGE
 *
 * OPTIONS_JSON holds the options every client gets before the scenario's own (key, endpoint);
 * MARKER is set as the attribute `conformance.run` on each client's root logger; LANGUAGE
 * chooses the steps (those without `languages`, or listing it) and is `c` but for check.py's
 * comparisons with another language's step list.
 */
#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferrolog.h"

#define MAX_NAMED 32

typedef struct {
    const char *name;
    ferrolog_logger *logger;
    ferrolog_span *span;
} named;

static named table[MAX_NAMED];
static size_t named_count;
static ferrolog_client *clients[MAX_NAMED];
static size_t client_count;

static void fail(const char *what) {
    fprintf(stderr, "run.c: %s\n", what);
    exit(2);
}

static ferrolog_str str_of(const char *text) { return (ferrolog_str){text, strlen(text)}; }

static const char *member(const json_t *step, const char *key) {
    const char *text = json_string_value(json_object_get(step, key));
    return text ? text : "";
}

static named *lookup(const char *name) {
    for (size_t i = 0; i < named_count; i++) {
        if (strcmp(table[i].name, name) == 0) {
            return &table[i];
        }
    }
    fprintf(stderr, "run.c: no logger or span named %s\n", name);
    exit(2);
}

static void add(const char *name, ferrolog_logger *logger, ferrolog_span *span) {
    if (named_count == MAX_NAMED) {
        fail("too many named loggers and spans");
    }
    table[named_count++] = (named){name, logger, span};
}

static const ferrolog_logger *logger_of(const json_t *step) {
    const char *name = member(step, "logger");
    return lookup(*name ? name : "root")->logger;
}

static const ferrolog_span *span_of(const json_t *step) { return lookup(member(step, "span"))->span; }

/* The step's attributes as compact JSON, whatever their type ("" when absent); free() it. */
static char *attributes_of(const json_t *step, const char *key) {
    const json_t *value = json_object_get(step, key);
    return value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY) : strdup("");
}

static ferrolog_result level_of(const json_t *step, int32_t *level) {
    const char *name = member(step, "level");
    return ferrolog_level_from_name(name, strlen(name), level);
}

static ferrolog_result start_client(const json_t *base, const json_t *own, const char *marker,
                                    const char *name) {
    ferrolog_config *config = NULL;
    ferrolog_result result = ferrolog_config_new(&config);
    const json_t *sources[] = {base, own};
    for (size_t s = 0; s < 2 && result == FERROLOG_OK; s++) {
        const char *key;
        json_t *value;
        json_object_foreach((json_t *)sources[s], key, value) {
            const char *text = json_string_value(value);
            if (text == NULL) {
                fail("client options must be strings");
            }
            ferrolog_error *error = NULL;
            result = ferrolog_config_set(config, key, strlen(key), text, strlen(text), &error);
            if (result != FERROLOG_OK) {
                fprintf(stderr, "run.c: option %s: %s\n", key, ferrolog_error_message(error));
                ferrolog_error_free(error);
                break;
            }
        }
    }
    ferrolog_client *client = NULL;
    if (result == FERROLOG_OK) {
        result = ferrolog_client_new(config, &client, NULL);
    }
    ferrolog_config_free(config);
    if (result != FERROLOG_OK) {
        return result;
    }
    clients[client_count++] = client;
    ferrolog_logger *root = NULL, *marked = NULL;
    json_t *marker_attributes = json_pack("{ss}", "conformance.run", marker);
    char *json = json_dumps(marker_attributes, JSON_COMPACT);
    json_decref(marker_attributes);
    result = ferrolog_client_logger(client, &root);
    if (result == FERROLOG_OK) {
        result = ferrolog_logger_child(root, json, strlen(json), &marked);
    }
    free(json);
    ferrolog_logger_free(root);
    if (result == FERROLOG_OK) {
        add(name, marked, NULL);
    }
    return result;
}

static ferrolog_result capture_error(const json_t *step) {
    const json_t *frames_json = json_object_get(step, "frames");
    const json_t *causes_json = json_object_get(step, "causes");
    size_t frame_count = json_array_size(frames_json), cause_count = json_array_size(causes_json);
    ferrolog_frame frames[16];
    ferrolog_cause causes[16];
    if (frame_count > 16 || cause_count > 16) {
        fail("at most 16 frames and causes");
    }
    for (size_t i = 0; i < frame_count; i++) {
        const json_t *frame = json_array_get(frames_json, i);
        frames[i] = (ferrolog_frame){str_of(member(frame, "function")),
                                     str_of(member(frame, "module")),
                                     (uint32_t)json_integer_value(json_object_get(frame, "line"))};
    }
    for (size_t i = 0; i < cause_count; i++) {
        const json_t *cause = json_array_get(causes_json, i);
        causes[i] = (ferrolog_cause){str_of(member(cause, "type")), str_of(member(cause, "message"))};
    }
    char *attributes = attributes_of(step, "attributes");
    ferrolog_result result = ferrolog_capture_error(
        logger_of(step), str_of(member(step, "type")), str_of(member(step, "message")), frames,
        frame_count, causes, cause_count, str_of(attributes), str_of(""));
    free(attributes);
    return result;
}

static ferrolog_result perform(const json_t *step) {
    const char *call = member(step, "call");
    const char *as = member(step, "as");
    ferrolog_result result = FERROLOG_OK;
    int32_t level = 0;
    char *attributes = attributes_of(step, "attributes");
    if (strcmp(call, "log") == 0) {
        const char *message = member(step, "message");
        result = level_of(step, &level);
        if (result == FERROLOG_OK) {
            result = ferrolog_log(logger_of(step), level, message, strlen(message), attributes,
                                  strlen(attributes));
        }
    } else if (strcmp(call, "child") == 0) {
        ferrolog_logger *child = NULL;
        result = ferrolog_logger_child(logger_of(step), attributes, strlen(attributes), &child);
        if (result == FERROLOG_OK) {
            add(as, child, NULL);
        }
    } else if (strcmp(call, "metric") == 0) {
        const char *kind = member(step, "kind");
        int32_t number = strcmp(kind, "counter") == 0 ? FERROLOG_METRIC_COUNTER
                         : strcmp(kind, "gauge") == 0 ? FERROLOG_METRIC_GAUGE
                         : strcmp(kind, "distribution") == 0 ? FERROLOG_METRIC_DISTRIBUTION
                                                              : 0;
        result = ferrolog_metric(logger_of(step), number, str_of(member(step, "name")),
                                 json_number_value(json_object_get(step, "value")),
                                 str_of(member(step, "unit")), str_of(attributes));
    } else if (strcmp(call, "event") == 0) {
        result = ferrolog_event(logger_of(step), str_of(member(step, "name")), str_of(attributes));
    } else if (strcmp(call, "audit") == 0) {
        result = ferrolog_audit(logger_of(step), str_of(member(step, "action")),
                                str_of(member(step, "actor")), str_of(member(step, "actor_type")),
                                str_of(member(step, "resource")),
                                str_of(member(step, "resource_id")),
                                str_of(member(step, "outcome_field")), str_of(attributes));
    } else if (strcmp(call, "scope") == 0) {
        ferrolog_logger *scope = NULL;
        result = ferrolog_logger_scope(logger_of(step), &scope);
        if (result == FERROLOG_OK) {
            add(as, scope, NULL);
        }
    } else if (strcmp(call, "scope_set_user") == 0) {
        result = ferrolog_logger_set_user(logger_of(step), str_of(member(step, "user_id")));
    } else if (strcmp(call, "scope_set_request") == 0) {
        result = ferrolog_logger_set_request(logger_of(step), str_of(member(step, "method")),
                                             str_of(member(step, "path")),
                                             str_of(member(step, "request_id")));
    } else if (strcmp(call, "scope_set_attribute") == 0) {
        result = ferrolog_logger_set_attribute(logger_of(step), str_of(member(step, "key")),
                                               str_of(member(step, "value")));
    } else if (strcmp(call, "breadcrumb") == 0) {
        char *data = attributes_of(step, "data");
        result = level_of(step, &level);
        if (result == FERROLOG_OK) {
            result = ferrolog_logger_add_breadcrumb(logger_of(step), str_of(member(step, "category")),
                                                    str_of(member(step, "message")), level,
                                                    str_of(data));
        }
        free(data);
    } else if (strcmp(call, "capture_error") == 0) {
        result = capture_error(step);
    } else if (strcmp(call, "span_start") == 0) {
        ferrolog_span *span = NULL;
        result = ferrolog_span_start(logger_of(step), str_of(member(step, "name")),
                                     str_of(member(step, "operation")), &span);
        if (result == FERROLOG_OK) {
            add(as, NULL, span);
        }
    } else if (strcmp(call, "span_set_attribute") == 0) {
        result = ferrolog_span_set_attribute(span_of(step), str_of(member(step, "key")),
                                             str_of(member(step, "value")));
    } else if (strcmp(call, "span_set_error") == 0) {
        result = ferrolog_span_set_error(span_of(step), str_of(member(step, "message")));
    } else if (strcmp(call, "span_logger") == 0) {
        ferrolog_logger *logger = NULL;
        result = ferrolog_span_logger(span_of(step), &logger);
        if (result == FERROLOG_OK) {
            add(as, logger, NULL);
        }
    } else if (strcmp(call, "span_end") == 0) {
        result = ferrolog_span_end(span_of(step));
    } else {
        fprintf(stderr, "run.c: unknown call %s\n", call);
        exit(2);
    }
    free(attributes);
    return result;
}

static const char *outcome_name(ferrolog_result result) {
    switch (result) {
    case FERROLOG_OK:
        return "accepted";
    case FERROLOG_FILTERED:
        return "filtered";
    case FERROLOG_NULL_ARGUMENT:
    case FERROLOG_INVALID_UTF8:
    case FERROLOG_INVALID_JSON:
    case FERROLOG_INVALID_ARGUMENT:
    case FERROLOG_TOO_LARGE:
        return "refused";
    default:
        return ferrolog_result_str(result);
    }
}

static int runs_in(const json_t *step, const char *language) {
    const json_t *languages = json_object_get(step, "languages");
    if (languages == NULL) {
        return 1;
    }
    size_t i;
    json_t *name;
    json_array_foreach(languages, i, name) {
        if (strcmp(json_string_value(name), language) == 0) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fail("usage: run SCENARIO OPTIONS_JSON MARKER LANGUAGE");
    }
    json_error_t error;
    json_t *scenario = json_load_file(argv[1], 0, &error);
    json_t *base = json_loads(argv[2], 0, &error);
    if (scenario == NULL || base == NULL) {
        fprintf(stderr, "run.c: %s (line %d)\n", error.text, error.line);
        return 2;
    }
    const char *name;
    json_t *options;
    json_object_foreach(json_object_get(scenario, "clients"), name, options) {
        if (start_client(base, options, argv[3], name) != FERROLOG_OK) {
            fail("a client could not start");
        }
    }
    size_t index;
    json_t *step;
    json_array_foreach(json_object_get(scenario, "steps"), index, step) {
        if (runs_in(step, argv[4])) {
            printf("{\"step\":%zu,\"outcome\":\"%s\"}\n", index, outcome_name(perform(step)));
        }
    }
    int status = 0;
    for (size_t i = 0; i < client_count; i++) {
        status |= ferrolog_client_shutdown(clients[i], 10000, NULL) != FERROLOG_OK;
    }
    for (size_t i = 0; i < named_count; i++) {
        ferrolog_logger_free(table[i].logger);
        ferrolog_span_free(table[i].span);
    }
    for (size_t i = 0; i < client_count; i++) {
        ferrolog_client_free(clients[i]);
    }
    json_decref(base);
    json_decref(scenario);
    return status ? 3 : 0;
}
