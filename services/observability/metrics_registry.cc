#include "services/observability/metrics_registry.h"

#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace kneechat {
namespace {

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  return absl::StrFormat("%.9g", value);
}

// {a="x",b="y"} with `extra` (already formatted, e.g. le="0.1") appended;
// empty when there are no labels at all.
std::string Labels(const std::vector<std::string>& names,
                   const LabelValues& values, const std::string& extra = "") {
  std::string out;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"",
                    EscapeLabelValue(values[i]), "\"");
  }
  if (!extra.empty()) absl::StrAppend(&out, out.empty() ? "" : ",", extra);
  return out.empty() ? "" : absl::StrCat("{", out, "}");
}

void Header(std::string& out, const std::string& name, const std::string& help,
            const std::string& type) {
  absl::StrAppend(&out, "# HELP ", name, " ", help, "\n# TYPE ", name, " ",
                  type, "\n");
}

}  // namespace

CounterFamily::CounterFamily(std::string name, std::string help,
                             std::vector<std::string> labels)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)) {}

void CounterFamily::Add(const LabelValues& values, double by) {
  if (values.size() != labels_.size() || !(by >= 0)) return;
  absl::MutexLock lock(&mu_);
  series_[values] += by;
}

CounterFamily::Bound::Bound(CounterFamily& family, LabelValues values)
    : family_(&family), values_(std::move(values)) {}

void CounterFamily::Bound::Add(double by) {
  if (values_.size() != family_->labels_.size() || !(by >= 0)) return;
  absl::MutexLock lock(&family_->mu_);
  if (series_ == nullptr) series_ = &family_->series_[values_];
  *series_ += by;
}

CounterFamily::Bound CounterFamily::Bind(LabelValues values) {
  return Bound(*this, std::move(values));
}

double CounterFamily::Value(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second;
}

void CounterFamily::Render(std::string& out) const {
  Header(out, name_, help_, "counter");
  absl::MutexLock lock(&mu_);
  for (const auto& [values, value] : series_) {
    absl::StrAppend(&out, name_, Labels(labels_, values), " ", Number(value),
                    "\n");
  }
}

HistogramFamily::HistogramFamily(std::string name, std::string help,
                                 std::vector<std::string> labels,
                                 std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      labels_(std::move(labels)),
      bounds_(std::move(bounds)) {}

void HistogramFamily::Observe(const LabelValues& values, double value) {
  if (values.size() != labels_.size() || std::isnan(value)) return;
  absl::MutexLock lock(&mu_);
  ObserveLocked(series_[values], value);
}

HistogramFamily::Bound::Bound(HistogramFamily& family, LabelValues values)
    : family_(&family), values_(std::move(values)) {}

void HistogramFamily::Bound::Observe(double value) {
  if (values_.size() != family_->labels_.size() || std::isnan(value)) return;
  absl::MutexLock lock(&family_->mu_);
  if (series_ == nullptr) series_ = &family_->series_[values_];
  family_->ObserveLocked(*series_, value);
}

HistogramFamily::Bound HistogramFamily::Bind(LabelValues values) {
  return Bound(*this, std::move(values));
}

void HistogramFamily::ObserveLocked(Series& series, double value) {
  if (series.buckets.empty()) series.buckets.assign(bounds_.size(), 0);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++series.buckets[i];
      break;
    }
  }
  ++series.count;
  series.sum += value;
}

uint64_t HistogramFamily::Count(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.count;
}

void HistogramFamily::Render(std::string& out) const {
  Header(out, name_, help_, "histogram");
  absl::MutexLock lock(&mu_);
  for (const auto& [values, series] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += series.buckets[i];
      absl::StrAppend(&out, name_, "_bucket",
                      Labels(labels_, values,
                             absl::StrCat("le=\"", Number(bounds_[i]), "\"")),
                      " ", cumulative, "\n");
    }
    absl::StrAppend(&out, name_, "_bucket",
                    Labels(labels_, values, "le=\"+Inf\""), " ", series.count,
                    "\n");
    absl::StrAppend(&out, name_, "_sum", Labels(labels_, values), " ",
                    Number(series.sum), "\n");
    absl::StrAppend(&out, name_, "_count", Labels(labels_, values), " ",
                    series.count, "\n");
  }
}

CallbackFamily::CallbackFamily(std::string name, std::string help,
                               std::string type,
                               std::vector<std::string> labels)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(std::move(type)),
      labels_(std::move(labels)) {}

CallbackFamily::Binding CallbackFamily::Bind(const LabelValues& values,
                                             std::function<double()> read) {
  if (values.size() != labels_.size()) return Binding();
  absl::MutexLock lock(&mu_);
  const uint64_t id = next_id_++;
  bound_[id] = Bound{values, std::move(read)};
  return Binding(this, id);
}

void CallbackFamily::Unbind(uint64_t id) {
  absl::MutexLock lock(&mu_);
  bound_.erase(id);
}

void CallbackFamily::Render(std::string& out) const {
  Header(out, name_, help_, type_);
  std::map<LabelValues, double> sums;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, bound] : bound_) sums[bound.values] += bound.read();
  }
  for (const auto& [values, value] : sums) {
    absl::StrAppend(&out, name_, Labels(labels_, values), " ", Number(value),
                    "\n");
  }
}

CallbackFamily::Binding::Binding(Binding&& other) noexcept
    : family_(std::exchange(other.family_, nullptr)), id_(other.id_) {}

CallbackFamily::Binding& CallbackFamily::Binding::operator=(
    Binding&& other) noexcept {
  if (this != &other) {
    if (family_ != nullptr) family_->Unbind(id_);
    family_ = std::exchange(other.family_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

CallbackFamily::Binding::~Binding() {
  if (family_ != nullptr) family_->Unbind(id_);
}

CounterFamily& MetricsRegistry::AddCounter(std::string name, std::string help,
                                           std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  counters_.emplace_back(
      new CounterFamily(std::move(name), std::move(help), std::move(labels)));
  CounterFamily* family = counters_.back().get();
  renderers_.push_back([family](std::string& out) { family->Render(out); });
  return *family;
}

HistogramFamily& MetricsRegistry::AddHistogram(std::string name,
                                               std::string help,
                                               std::vector<std::string> labels,
                                               std::vector<double> bounds) {
  absl::MutexLock lock(&mu_);
  histograms_.emplace_back(new HistogramFamily(
      std::move(name), std::move(help), std::move(labels), std::move(bounds)));
  HistogramFamily* family = histograms_.back().get();
  renderers_.push_back([family](std::string& out) { family->Render(out); });
  return *family;
}

CallbackFamily& MetricsRegistry::AddCallbackGauge(
    std::string name, std::string help, std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  callbacks_.emplace_back(new CallbackFamily(std::move(name), std::move(help),
                                             "gauge", std::move(labels)));
  CallbackFamily* family = callbacks_.back().get();
  renderers_.push_back([family](std::string& out) { family->Render(out); });
  return *family;
}

CallbackFamily& MetricsRegistry::AddCallbackCounter(
    std::string name, std::string help, std::vector<std::string> labels) {
  absl::MutexLock lock(&mu_);
  callbacks_.emplace_back(new CallbackFamily(std::move(name), std::move(help),
                                             "counter", std::move(labels)));
  CallbackFamily* family = callbacks_.back().get();
  renderers_.push_back([family](std::string& out) { family->Render(out); });
  return *family;
}

std::string MetricsRegistry::Render() const {
  std::vector<std::function<void(std::string&)>> renderers;
  {
    absl::MutexLock lock(&mu_);
    renderers = renderers_;
  }
  std::string out;
  for (const auto& render : renderers) render(out);
  return out;
}

std::vector<double> LatencyBuckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
          0.25,  0.5,    1,     2.5,  5,     10};
}

}  // namespace kneechat
