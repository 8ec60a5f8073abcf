#define _POSIX_C_SOURCE 200809L

#include "collector.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* Appends `word` to `command` single-quoted, so the shell passes it through untouched. */
static bool append_word(char *command, size_t size, const char *word) {
    size_t used = strlen(command);
    if (strchr(word, '\'') != NULL) {
        return false;
    }
    int written = snprintf(command + used, size - used, " '%s'", word);
    return written >= 0 && (size_t)written < size - used;
}

/* Runs collector.py with `args` (NULL-terminated); its standard output, or NULL on failure. */
static char *run_tool(const char *const args[]) {
    char command[4096] = "python3";
    bool quoted = append_word(command, sizeof command, required_env("FERROLOG_TEST_TOOL")) &&
                  append_word(command, sizeof command, required_env("FERROLOG_TEST_COLLECTOR"));
    for (size_t i = 0; quoted && args[i] != NULL; i++) {
        quoted = append_word(command, sizeof command, args[i]);
    }
    if (!quoted) {
        fprintf(stderr, "cannot build a shell command for collector.py\n");
        return NULL;
    }
    FILE *pipe = popen(command, "r");
    if (pipe == NULL) {
        perror("popen");
        return NULL;
    }
    char *output = NULL;
    size_t length = 0;
    size_t capacity = 0;
    bool complete = false;
    while (!complete) {
        if (capacity - length < 4096) {
            capacity = capacity == 0 ? 1 << 16 : capacity * 2;
            char *grown = (char *)realloc(output, capacity);
            if (grown == NULL) {
                break;
            }
            output = grown;
        }
        size_t got = fread(output + length, 1, capacity - length - 1, pipe);
        length += got;
        complete = got == 0;
    }
    int status = pclose(pipe);
    if (!complete || status != 0) {
        fprintf(stderr, "failed (status %d): %s\n", status, command);
        free(output);
        return NULL;
    }
    output[length] = '\0';
    return output;
}

char *collector_entries(const char *filter) {
    const char *args[] = {"entries", filter, NULL};
    return run_tool(args);
}

char *collector_traces(const char *filter) {
    const char *args[] = {"traces", filter, NULL};
    return run_tool(args);
}

char *collector_errors(const char *filter) {
    const char *args[] = {"errors", filter, NULL};
    return run_tool(args);
}

bool collector_request(const char *method, const char *path, const char *json) {
    const char *args[] = {"request", method, path, json, NULL};
    char *output = run_tool(args);
    free(output);
    return output != NULL;
}

bool has_line(const char *lines, const char *line) {
    size_t length = strlen(line);
    for (const char *at = lines; at != NULL && (at = strstr(at, line)) != NULL; at++) {
        bool starts = at == lines || at[-1] == '\n';
        bool ends = at[length] == '\n' || at[length] == '\0';
        if (starts && ends) {
            return true;
        }
    }
    return false;
}

size_t count_lines(const char *lines) {
    size_t count = 0;
    for (const char *at = lines; at != NULL && *at != '\0'; at++) {
        count += *at == '\n';
    }
    return count;
}
