/*
 * Assertions and fixtures for the C tests. A failed check prints where and what, and the test
 * carries on so one run shows every failure; main ends with `return check_finish();`.
 */
#ifndef FERROLOG_TEST_CHECK_H
#define FERROLOG_TEST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ferrolog.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A string literal as the (pointer, length) pair the API takes; the NUL is not counted. */
#define S(literal) (literal), (sizeof(literal) - 1)

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

#define CHECK(cond) check_true((cond), #cond, __FILE__, __LINE__)
#define CHECK_RESULT(call, expected) \
    check_result((call), (expected), #call, __FILE__, __LINE__)
#define CHECK_U64(actual, expected) \
    check_u64((actual), (expected), #actual, __FILE__, __LINE__)
/* Checks that `text` (a NUL-terminated string) contains `part`. */
#define CHECK_CONTAINS(text, part) \
    check_contains((text), (part), #text, __FILE__, __LINE__)

bool check_true(bool ok, const char *what, const char *file, int line);
bool check_result(ferrolog_result actual, ferrolog_result expected, const char *what,
                  const char *file, int line);
bool check_u64(uint64_t actual, uint64_t expected, const char *what, const char *file, int line);
bool check_contains(const char *text, const char *part, const char *what, const char *file,
                    int line);

/* Names the case a table-driven loop is on, printed with any failure until the next call;
 * NULL clears it. `label` must stay valid that long. */
void check_context(const char *label);

/* Prints the verdict and returns the process exit status: 0 when every check passed. */
int check_finish(void);

/* The value of a variable the runner sets; exits with a message when it is missing. */
const char *required_env(const char *name);

/* Seconds on the monotonic clock. */
double monotonic_seconds(void);

void sleep_ms(unsigned milliseconds);

struct test_option {
    const char *key;
    const char *value;
};

/* A client configured with `options`, each checked to be accepted; NULL if creation failed. */
ferrolog_client *start_client(const struct test_option *options, size_t count);

/* Reads one counter by name; a failed read counts as a check failure. */
uint64_t stats_counter(const ferrolog_stats *stats, const char *name);

/* Reads one counter from a fresh stats snapshot. */
uint64_t client_counter(const ferrolog_client *client, const char *name);

#ifdef __cplusplus
}
#endif

#endif
