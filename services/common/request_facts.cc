#include "services/common/request_facts.h"

namespace kneechat {
namespace {

thread_local RequestFacts* current_facts = nullptr;
thread_local ScopedStage* current_stage = nullptr;

}  // namespace

const char* TurnStageName(TurnStage stage) {
  switch (stage) {
    case TurnStage::kUnderstanding:
      return "understanding";
    case TurnStage::kTriage:
      return "triage";
    case TurnStage::kRetrieval:
      return "retrieval";
    case TurnStage::kComposing:
      return "composing";
  }
  return "other";
}

ScopedRequestFacts::ScopedRequestFacts() : outer_(current_facts) {
  current_facts = &facts_;
}

ScopedRequestFacts::~ScopedRequestFacts() { current_facts = outer_; }

RequestFacts* CurrentRequestFacts() { return current_facts; }

ScopedStage::ScopedStage(TurnStage stage)
    : stage_(stage),
      start_(std::chrono::steady_clock::now()),
      parent_(current_stage) {
  current_stage = this;
}

ScopedStage::~ScopedStage() {
  current_stage = parent_;
  const auto elapsed = std::chrono::steady_clock::now() - start_;
  if (parent_ != nullptr) parent_->nested_ += elapsed;
  RequestFacts* facts = current_facts;
  if (facts == nullptr) return;
  facts->stage_seconds[static_cast<size_t>(stage_)] +=
      std::chrono::duration<double>(elapsed - nested_).count();
  facts->stages_timed = true;
}

}  // namespace kneechat
