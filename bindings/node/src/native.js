'use strict';
// The core library: where it is, the ABI check, the C types and every prototype used.

const path = require('node:path');
const koffi = require('koffi');

// The ABI this package was written for (FERROLOG_ABI_VERSION in include/ferrolog.h).
const EXPECTED_ABI_VERSION = 1;

// The release build of the checkout this package sits in, unless FERROLOG_LIBRARY names another.
const DEFAULT_LIBRARY_PATH = path.resolve(__dirname, '../../../target/release/libferrolog.so');

function libraryPath() {
  return process.env.FERROLOG_LIBRARY || DEFAULT_LIBRARY_PATH;
}

// Strings cross as (pointer, length) UTF-8 bytes: JS passes Buffers, never NUL-terminated text.
const Str = koffi.struct('ferrolog_str', { ptr: 'const uint8_t *', len: 'size_t' });
koffi.struct('ferrolog_frame', { function: Str, module: Str, line: 'uint32_t' });
koffi.struct('ferrolog_cause', { error_type: Str, message: Str });
koffi.struct('ferrolog_header', { name: Str, value: Str });
koffi.struct('ferrolog_reading', { name: Str, value: 'double', unit: Str });
for (const name of ['ferrolog_config', 'ferrolog_client', 'ferrolog_logger', 'ferrolog_span',
  'ferrolog_stats', 'ferrolog_error']) {
  koffi.opaque(name);
}

const PROTOTYPES = [
  'const char *ferrolog_version(void)',
  'const char *ferrolog_result_str(int32_t result)',
  'int32_t ferrolog_level_from_name(const uint8_t *name, size_t name_len, _Out_ int32_t *out)',
  'const char *ferrolog_error_message(const ferrolog_error *error)',
  'void ferrolog_error_free(ferrolog_error *error)',
  'int32_t ferrolog_config_new(_Out_ ferrolog_config **out)',
  'int32_t ferrolog_config_set(ferrolog_config *config, const uint8_t *key, size_t key_len, ' +
    'const uint8_t *value, size_t value_len, _Out_ ferrolog_error **error)',
  'int32_t ferrolog_config_apply_env(ferrolog_config *config, _Out_ ferrolog_error **error)',
  'void ferrolog_config_free(ferrolog_config *config)',
  'int32_t ferrolog_client_new(const ferrolog_config *config, _Out_ ferrolog_client **out, ' +
    '_Out_ ferrolog_error **error)',
  'int32_t ferrolog_client_logger(const ferrolog_client *client, _Out_ ferrolog_logger **out)',
  'int32_t ferrolog_client_flush(const ferrolog_client *client, uint64_t timeout_ms, _Out_ uint64_t *left)',
  'int32_t ferrolog_client_shutdown(const ferrolog_client *client, uint64_t timeout_ms, _Out_ uint64_t *left)',
  'int32_t ferrolog_client_set_min_level(const ferrolog_client *client, int32_t level)',
  'int32_t ferrolog_client_stats(const ferrolog_client *client, _Out_ ferrolog_stats **out)',
  'void ferrolog_client_free(ferrolog_client *client)',
  'int32_t ferrolog_stats_json(const ferrolog_stats *stats, _Out_ uint8_t *buf, size_t capacity, _Out_ size_t *needed)',
  'void ferrolog_stats_free(ferrolog_stats *stats)',
  // The hot path takes its strings as addresses into the logger's scratch buffer (see text.js).
  'int32_t ferrolog_log(const ferrolog_logger *logger, int32_t level, uintptr_t message, ' +
    'size_t message_len, uintptr_t json, size_t json_len)',
  'bool ferrolog_logger_enabled(const ferrolog_logger *logger, int32_t level)',
  'int32_t ferrolog_logger_child(const ferrolog_logger *logger, const uint8_t *json, size_t json_len, ' +
    '_Out_ ferrolog_logger **out)',
  'void ferrolog_logger_free(ferrolog_logger *logger)',
  'int32_t ferrolog_logger_scope(const ferrolog_logger *logger, _Out_ ferrolog_logger **out)',
  'int32_t ferrolog_logger_set_user(const ferrolog_logger *logger, ferrolog_str user_id)',
  'int32_t ferrolog_logger_set_request(const ferrolog_logger *logger, ferrolog_str method, ' +
    'ferrolog_str path, ferrolog_str request_id)',
  'int32_t ferrolog_logger_set_attribute(const ferrolog_logger *logger, ferrolog_str key, ferrolog_str value)',
  'int32_t ferrolog_logger_add_breadcrumb(const ferrolog_logger *logger, ferrolog_str category, ' +
    'ferrolog_str message, int32_t level, ferrolog_str data_json)',
  'int32_t ferrolog_capture_error(const ferrolog_logger *logger, ferrolog_str error_type, ' +
    'ferrolog_str message, const ferrolog_frame *frames, size_t frame_count, ' +
    'const ferrolog_cause *causes, size_t cause_count, ferrolog_str attributes_json, ' +
    'ferrolog_str options_json)',
  'int32_t ferrolog_metric(const ferrolog_logger *logger, int32_t kind, ferrolog_str name, ' +
    'double value, ferrolog_str unit, ferrolog_str attributes_json)',
  'int32_t ferrolog_event(const ferrolog_logger *logger, ferrolog_str name, ferrolog_str attributes_json)',
  'int32_t ferrolog_audit(const ferrolog_logger *logger, ferrolog_str action, ferrolog_str actor, ' +
    'ferrolog_str actor_type, ferrolog_str resource, ferrolog_str resource_id, ferrolog_str outcome, ' +
    'ferrolog_str attributes_json)',
  'int32_t ferrolog_telemetry(const ferrolog_logger *logger, ferrolog_str device_id, ' +
    'const ferrolog_reading *readings, size_t count, bool managed, ferrolog_str attributes_json)',
  'int32_t ferrolog_span_start(const ferrolog_logger *logger, ferrolog_str name, ferrolog_str operation, ' +
    '_Out_ ferrolog_span **out)',
  'int32_t ferrolog_span_start_child(const ferrolog_span *parent, ferrolog_str name, ' +
    'ferrolog_str operation, _Out_ ferrolog_span **out)',
  'int32_t ferrolog_span_continue_from_headers(const ferrolog_logger *logger, ' +
    'const ferrolog_header *headers, size_t count, ferrolog_str name, ferrolog_str operation, ' +
    '_Out_ ferrolog_span **out)',
  'int32_t ferrolog_span_set_attribute(const ferrolog_span *span, ferrolog_str key, ferrolog_str value)',
  'int32_t ferrolog_span_set_error(const ferrolog_span *span, ferrolog_str message)',
  'int32_t ferrolog_span_logger(const ferrolog_span *span, _Out_ ferrolog_logger **out)',
  'int32_t ferrolog_span_header(const ferrolog_span *span, int32_t kind, _Out_ uint8_t *buf, ' +
    'size_t capacity, _Out_ size_t *needed)',
  'int32_t ferrolog_span_end(const ferrolog_span *span)',
  'void ferrolog_span_free(ferrolog_span *span)',
  'int32_t ferrolog_generate_trace_id(_Out_ uint8_t *buf, size_t capacity, _Out_ size_t *needed)',
  'int32_t ferrolog_trace_id_from_headers(const ferrolog_header *headers, size_t count, ' +
    '_Out_ uint8_t *buf, size_t capacity, _Out_ size_t *needed)',
];

/**
 * Opens the core library at `file`, refuses one of another ABI than `expectedAbi`, and
 * declares every prototype; returns the functions by their C names.
 */
function loadLibrary(file = libraryPath(), expectedAbi = EXPECTED_ABI_VERSION) {
  let library;
  try {
    library = koffi.load(file);
  } catch (error) {
    throw new Error(
      `ferrolog: cannot load the core library ${file} (${error.message}); build it with ` +
        '`make build` or name another with FERROLOG_LIBRARY',
      { cause: error },
    );
  }
  const found = library.func('uint32_t ferrolog_abi_version(void)')();
  if (found !== expectedAbi) {
    throw new Error(
      `ferrolog: the core library ${file} implements C ABI version ${found}, but this Node ` +
        `package was written for version ${expectedAbi}; rebuild the library so that both ` +
        'come from the same checkout',
    );
  }
  const functions = {};
  for (const prototype of PROTOTYPES) {
    const fn = library.func(prototype);
    functions[fn.info.name] = fn;
  }
  return functions;
}

const lib = loadLibrary();

module.exports = { EXPECTED_ABI_VERSION, libraryPath, loadLibrary, lib };
