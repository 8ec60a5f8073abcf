/*
 * The running collector, seen from a test: what it received and its fault switches. The work
 * is done by collector.py (path in FERROLOG_TEST_TOOL) against FERROLOG_TEST_COLLECTOR.
 */
#ifndef FERROLOG_TEST_COLLECTOR_H
#define FERROLOG_TEST_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The entries received that match `filter` (one "name=value" query parameter such as
 * "text=thread-", or NULL for all), one per line: [level,message,attributes,environment,kind]
 * as compact JSON with sorted keys. NULL when the query failed. Free with free().
 */
char *collector_entries(const char *filter);

/* The same entries as [message,trace_id,span_id,parent_span_id,status] lines, null when
 * absent. Free with free(). */
char *collector_traces(const char *filter);

/* The same entries as [message,error,fingerprint] lines: the decoded error object (null for
 * none) and the error.fingerprint attribute. Free with free(). */
char *collector_errors(const char *filter);

/* Sends `method` to `path` of the collector with an optional JSON body; true on success. */
bool collector_request(const char *method, const char *path, const char *json);

/* Whether `lines` holds `line` as one whole line. */
bool has_line(const char *lines, const char *line);

size_t count_lines(const char *lines);

#ifdef __cplusplus
}
#endif

#endif
