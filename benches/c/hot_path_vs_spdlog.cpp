// Caller-side cost of one log call with three attributes, through ferrolog's C ABI (as string
// pairs, as one JSON object, as the Python and Node bindings pass them, and typed, as the Go
// binding passes them) and through
// spdlog's async logger (the pick of a C++ user who wants logging off the calling thread), in
// the same run, same machine, same methodology: each call timed with the monotonic clock (its
// cost subtracted), plus an untimed amortized loop; rounds of calls with the backlog drained
// between rounds, untimed.
//
// FERROLOG_BENCH_ENDPOINT names ferrolog's ingest URL; spdlog writes to /dev/null.

#include "ferrolog.h"

#include <spdlog/async.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <barrier>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRounds = 20;
constexpr int kCallsPerRound = 10000;

struct Summary {
    double amortized;
    uint64_t p50, p99, p999, max;
};

uint64_t ns_since(Clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
}

uint64_t clock_cost() {
    std::vector<uint64_t> samples(100000);
    for (auto &sample : samples) {
        auto start = Clock::now();
        sample = ns_since(start);
    }
    std::sort(samples.begin(), samples.end());
    return samples[samples.size() / 2];
}

struct Workload {
    std::function<void()> call;
    std::function<void()> drain;
};

// Per-call samples and the amortized cost of `threads` threads each running the workload.
Summary measure(const Workload &work, int threads, uint64_t clock) {
    std::vector<std::vector<uint64_t>> samples(threads);
    std::vector<double> amortized(threads);
    // Every thread stops at the barrier while the backlog drains, so no thread runs ahead
    // into a queue that another thread's drain is still emptying.
    std::barrier sync(threads);
    auto drain = [&](int t) {
        sync.arrive_and_wait();
        if (t == 0) work.drain();
        sync.arrive_and_wait();
    };
    auto body = [&](int t) {
        samples[t].reserve(kRounds * kCallsPerRound);
        double total_ns = 0;
        for (int round = 0; round < kRounds; ++round) {
            auto start = Clock::now();
            for (int i = 0; i < kCallsPerRound; ++i) work.call();
            total_ns += ns_since(start);
            drain(t);
            for (int i = 0; i < kCallsPerRound; ++i) {
                auto one = Clock::now();
                work.call();
                uint64_t ns = ns_since(one);
                samples[t].push_back(ns > clock ? ns - clock : 0);
            }
            drain(t);
        }
        amortized[t] = total_ns / (kRounds * kCallsPerRound);
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(body, t);
    for (auto &thread : pool) thread.join();

    std::vector<uint64_t> all;
    for (auto &s : samples) all.insert(all.end(), s.begin(), s.end());
    std::sort(all.begin(), all.end());
    auto at = [&](double p) { return all[std::min(all.size() - 1, size_t(all.size() * p))]; };
    double mean_amortized = 0;
    for (double a : amortized) mean_amortized += a / threads;
    return {mean_amortized, at(0.50), at(0.99), at(0.999), all.back()};
}

void print_row(const char *name, const Summary &s) {
    std::printf("%-34s %10.1f %8llu %8llu %8llu %10llu\n", name, s.amortized, (unsigned long long)s.p50,
                (unsigned long long)s.p99, (unsigned long long)s.p999, (unsigned long long)s.max);
}

#define S(text) text, std::strlen(text)

ferrolog_client *start_ferrolog() {
    const char *endpoint = std::getenv("FERROLOG_BENCH_ENDPOINT");
    if (!endpoint) endpoint = "http://127.0.0.1:9/v1/logs";
    ferrolog_config *config;
    ferrolog_client *client = nullptr;
    ferrolog_error *error = nullptr;
    ferrolog_config_new(&config);
    ferrolog_config_set(config, S("api_key"), S("bench-key"), nullptr);
    ferrolog_config_set(config, S("endpoint"), S(endpoint), nullptr);
    if (ferrolog_client_new(config, &client, &error) != FERROLOG_OK) {
        std::fprintf(stderr, "ferrolog: %s\n", ferrolog_error_message(error));
        std::exit(1);
    }
    ferrolog_config_free(config);
    return client;
}

void print_stats(ferrolog_client *client) {
    ferrolog_stats *stats;
    char json[1024];
    ferrolog_client_stats(client, &stats);
    if (ferrolog_stats_json(stats, json, sizeof json, nullptr) == FERROLOG_OK) std::printf("ferrolog stats %s\n", json);
    ferrolog_stats_free(stats);
}

}  // namespace

int main() {
    const uint64_t clock = clock_cost();

    ferrolog_client *client = start_ferrolog();
    ferrolog_logger *logger;
    ferrolog_client_logger(client, &logger);
    const ferrolog_attribute attributes[3] = {
        {S("user_id"), S("u-12345")}, {S("route"), S("/api/orders")}, {S("status"), S("200")}};
    Workload ferrolog_work{
        [&] { ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, S("request handled"), attributes, 3); },
        [&] { ferrolog_client_flush(client, 30000, nullptr); }};
    const char *json = R"({"user_id":"u-12345","route":"/api/orders","status":200})";
    Workload ferrolog_json_work{
        [&] { ferrolog_log(logger, FERROLOG_LEVEL_INFO, S("request handled"), S(json)); },
        ferrolog_work.drain};
    // The same attributes typed, as the Go binding passes them: status stays a number.
    const char typed_text[] = "user_id" "u-12345" "route" "/api/orders" "status";
    ferrolog_typed_attribute typed[3] = {};
    typed[0].key_len = 7, typed[0].kind = FERROLOG_VALUE_TEXT, typed[0].value.text_len = 7;
    typed[1].key_len = 5, typed[1].kind = FERROLOG_VALUE_TEXT, typed[1].value.text_len = 11;
    typed[2].key_len = 6, typed[2].kind = FERROLOG_VALUE_INT, typed[2].value.integer = 200;
    Workload ferrolog_typed_work{
        [&] {
            ferrolog_log_typed(logger, FERROLOG_LEVEL_INFO, S("request handled"), typed, 3, typed_text,
                               sizeof typed_text - 1);
        },
        ferrolog_work.drain};

    spdlog::init_thread_pool(65536, 1);
    auto spd = spdlog::create_async<spdlog::sinks::basic_file_sink_mt>("bench", "/dev/null");
    spd->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v");
    Workload spdlog_work{
        [&] {
            spd->info("request handled user_id={} route={} status={}", "u-12345", "/api/orders", "200");
        },
        [&] {
            // spdlog's flush is itself queued; wait for the pool's queue to empty instead.
            while (spdlog::thread_pool()->queue_size() > 0) std::this_thread::yield();
        }};

    // Warm both before measuring.
    measure(ferrolog_work, 1, clock);
    measure(ferrolog_json_work, 1, clock);
    measure(ferrolog_typed_work, 1, clock);
    measure(spdlog_work, 1, clock);

    std::printf("caller cost per log call with 3 attributes, ns (clock cost %llu ns subtracted)\n",
                (unsigned long long)clock);
    std::printf("%-34s %10s %8s %8s %8s %10s\n", "case", "amortized", "p50", "p99", "p99.9", "max");
    Summary f1 = measure(ferrolog_work, 1, clock);
    Summary j1 = measure(ferrolog_json_work, 1, clock);
    Summary t1 = measure(ferrolog_typed_work, 1, clock);
    Summary s1 = measure(spdlog_work, 1, clock);
    Summary f2 = measure(ferrolog_work, 2, clock);
    Summary s2 = measure(spdlog_work, 2, clock);
    print_row("ferrolog (C ABI), 1 thread", f1);
    print_row("ferrolog (C ABI, JSON), 1 thread", j1);
    print_row("ferrolog (C ABI, typed), 1 thread", t1);
    print_row("spdlog async, 1 thread", s1);
    print_row("ferrolog (C ABI), 2 threads", f2);
    print_row("spdlog async, 2 threads", s2);
    std::printf("ratio ferrolog/spdlog p50: 1 thread %.2f, 2 threads %.2f\n", double(f1.p50) / s1.p50,
                double(f2.p50) / s2.p50);
    std::printf("ratio ferrolog JSON/spdlog, 1 thread: p50 %.2f, amortized %.2f\n", double(j1.p50) / s1.p50,
                j1.amortized / s1.amortized);
    std::printf("ratio ferrolog typed/spdlog, 1 thread: p50 %.2f, amortized %.2f\n", double(t1.p50) / s1.p50,
                t1.amortized / s1.amortized);
    std::printf("ratio ferrolog/spdlog amortized: 1 thread %.2f, 2 threads %.2f\n", f1.amortized / s1.amortized,
                f2.amortized / s2.amortized);

    ferrolog_client_set_min_level(client, FERROLOG_LEVEL_WARNING);
    constexpr int kDisabled = 50000000;
    auto start = Clock::now();
    for (int i = 0; i < kDisabled; ++i)
        ferrolog_log_kv(logger, FERROLOG_LEVEL_INFO, S("request handled"), attributes, 3);
    std::printf("%-34s %10.2f\n", "ferrolog disabled call (C ABI)", double(ns_since(start)) / kDisabled);

    ferrolog_client_shutdown(client, 10000, nullptr);
    print_stats(client);
    ferrolog_logger_free(logger);
    ferrolog_client_free(client);
    spdlog::shutdown();
    return 0;
}
