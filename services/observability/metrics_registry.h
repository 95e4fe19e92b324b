// A small Prometheus metrics registry with the text exposition format
// (version 0.0.4), written by hand: Debian 12 packages no maintained
// Prometheus client library for C++.
//
// Families are registered once with fixed label names; series are created
// on first use of a label-value tuple. Callers must pass label values from
// bounded sets (enum names, rule ids, channel names mapped to a fixed list)
// — never user text or session ids — so the number of series stays small.
//
// Ownership: the registry owns its families; references returned by the
// Add* functions stay valid for the registry's lifetime.
// Thread-safety: every method may be called concurrently.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace kneechat {

using LabelValues = std::vector<std::string>;

class CounterFamily {
 public:
  // One series of the family, for label values a caller adds to on every
  // call: the series is found (or created) by its first Add and kept, so
  // later Adds neither build nor look up the values. Like the family's own
  // Add, a series appears in the output once added to. Must not outlive the
  // family (its registry); Add may be called concurrently.
  class Bound {
   public:
    // Adds `by` (>= 0), as family.Add(values, by).
    void Add(double by = 1);

   private:
    friend class CounterFamily;
    Bound(CounterFamily& family, LabelValues values);
    CounterFamily* family_;
    LabelValues values_;
    double* series_ = nullptr;  // guarded by family_->mu_; null until used
  };

  // Adds `by` (>= 0) to the series for `values` (one per label name; a
  // wrong count is ignored).
  void Add(const LabelValues& values, double by = 1);
  double Value(const LabelValues& values) const;
  // A handle on the series for `values` (a wrong count gives a handle that
  // ignores every Add). Creates no series.
  Bound Bind(LabelValues values);

 private:
  friend class MetricsRegistry;
  CounterFamily(std::string name, std::string help,
                std::vector<std::string> labels);
  void Render(std::string& out) const;

  const std::string name_, help_;
  const std::vector<std::string> labels_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, double> series_ ABSL_GUARDED_BY(mu_);
};

class HistogramFamily {
 private:
  struct Series {
    std::vector<uint64_t> buckets;  // per upper bound, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };

 public:
  // One series of the family, for label values a caller observes on every
  // call, as CounterFamily::Bound.
  class Bound {
   public:
    // As family.Observe(values, value).
    void Observe(double value);

   private:
    friend class HistogramFamily;
    Bound(HistogramFamily& family, LabelValues values);
    HistogramFamily* family_;
    LabelValues values_;
    Series* series_ = nullptr;  // guarded by family_->mu_; null until used
  };

  void Observe(const LabelValues& values, double value);
  // Observations so far in the series for `values`.
  uint64_t Count(const LabelValues& values) const;
  // A handle on the series for `values` (a wrong count gives a handle that
  // ignores every observation). Creates no series.
  Bound Bind(LabelValues values);

 private:
  friend class MetricsRegistry;
  // Adds `value` to `series` (bucket, count, sum).
  void ObserveLocked(Series& series, double value)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  HistogramFamily(std::string name, std::string help,
                  std::vector<std::string> labels, std::vector<double> bounds);
  void Render(std::string& out) const;

  const std::string name_, help_;
  const std::vector<std::string> labels_;
  const std::vector<double> bounds_;  // ascending; +Inf is implicit
  mutable absl::Mutex mu_;
  std::map<LabelValues, Series> series_ ABSL_GUARDED_BY(mu_);
};

// A gauge or counter whose values are read when the registry is rendered,
// from functions bound per label-value tuple (e.g. a store's size, a
// webhook's own counters).
class CallbackFamily {
 public:
  // Unbinds on destruction; must not outlive the family's registry.
  class Binding {
   public:
    Binding() = default;
    Binding(Binding&& other) noexcept;
    Binding& operator=(Binding&& other) noexcept;
    ~Binding();

   private:
    friend class CallbackFamily;
    Binding(CallbackFamily* family, uint64_t id) : family_(family), id_(id) {}
    CallbackFamily* family_ = nullptr;
    uint64_t id_ = 0;
  };

  // `read` is called while rendering, from the rendering thread; it must
  // be thread-safe and cheap. Several bindings of one tuple are summed.
  [[nodiscard]] Binding Bind(const LabelValues& values,
                             std::function<double()> read);

 private:
  friend class MetricsRegistry;
  struct Bound {
    LabelValues values;
    std::function<double()> read;
  };
  CallbackFamily(std::string name, std::string help, std::string type,
                 std::vector<std::string> labels);
  void Unbind(uint64_t id);
  void Render(std::string& out) const;

  const std::string name_, help_, type_;
  const std::vector<std::string> labels_;
  mutable absl::Mutex mu_;
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 1;
  std::map<uint64_t, Bound> bound_ ABSL_GUARDED_BY(mu_);
};

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // `name` must match [a-zA-Z_:][a-zA-Z0-9_:]* (counters end in _total);
  // registering a name twice is a programming error (checked by tests).
  CounterFamily& AddCounter(std::string name, std::string help,
                            std::vector<std::string> labels);
  HistogramFamily& AddHistogram(std::string name, std::string help,
                                std::vector<std::string> labels,
                                std::vector<double> bounds);
  CallbackFamily& AddCallbackGauge(std::string name, std::string help,
                                   std::vector<std::string> labels);
  CallbackFamily& AddCallbackCounter(std::string name, std::string help,
                                     std::vector<std::string> labels);

  // Every family in registration order, in the Prometheus text format.
  std::string Render() const;

 private:
  mutable absl::Mutex mu_;
  std::vector<std::function<void(std::string&)>> renderers_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<CounterFamily>> counters_ ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<HistogramFamily>> histograms_
      ABSL_GUARDED_BY(mu_);
  std::vector<std::unique_ptr<CallbackFamily>> callbacks_ ABSL_GUARDED_BY(mu_);
};

// The text format's content type.
inline constexpr char kPrometheusContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

// Histogram bounds for latencies in seconds, 1 ms to 10 s.
std::vector<double> LatencyBuckets();

}  // namespace kneechat
