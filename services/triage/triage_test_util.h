// Helpers for triage tests: findings and slots written tersely.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/config/deployment_config.h"
#include "services/triage/triage.h"
#include "services/understanding/understanding.h"

namespace kneechat::testing_util {

inline Finding F(const std::string& id, Polarity p = Polarity::kPresent,
                 Temporality t = Temporality::kCurrent,
                 Experiencer e = Experiencer::kSelf) {
  Finding f;
  f.id = id;
  f.polarity = p;
  f.temporality = t;
  f.experiencer = e;
  f.evidence = "<" + id + ">";
  return f;
}

inline std::vector<Finding> Present(const std::vector<std::string>& ids) {
  std::vector<Finding> out;
  for (const auto& id : ids) out.push_back(F(id));
  return out;
}

using Slots = std::map<std::string, SlotValue>;

inline Slots S(std::map<std::string, std::string> values) {
  Slots slots;
  for (auto& [k, v] : values) slots[k] = SlotValue{v, "<" + k + ">"};
  return slots;
}

// The project's rules with the default deployment config.
inline const Triage& ProjectTriage() {
  static const Triage* const kTriage = [] {
    auto t = Triage::Load(std::string(KNEECHAT_SOURCE_DIR) + "/corpus",
                          DefaultDeploymentConfig());
    if (!t.ok()) {
      ADD_FAILURE() << t.status();
      std::abort();
    }
    return t->release();
  }();
  return *kTriage;
}

// The level of `rule_id` in `a`, UNSPECIFIED when it did not fire.
inline v1::TriageLevel LevelOf(const Assessment& a,
                               const std::string& rule_id) {
  for (const auto& f : a.flags) {
    if (f.rule_id == rule_id) return f.level;
  }
  return v1::TRIAGE_LEVEL_UNSPECIFIED;
}

}  // namespace kneechat::testing_util
