// kneechat-handoff-example: plays two scripted conversations on the real
// engine (embedded corpus and index) and prints their handoffs, for the
// FHIR R4 schema test (tests/fhir) and for a look at what a clinic gets:
//   kneechat-handoff-example           a JSON array of the two FHIR Bundles
//   kneechat-handoff-example --text    the two plain-text summaries
// An injury that cannot bear weight (URGENT referral, consent given with a
// phone number) and gradual front-of-knee pain with running (self-care).
#include <iostream>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "services/engine/kneechat_engine.h"

namespace kneechat {
namespace {

class KeepLast : public HandoffDelivery {
 public:
  absl::Status Deliver(HandoffPackage) override { return absl::OkStatus(); }
};

absl::StatusOr<v1::GetHandoffResponse> Play(
    Engine& engine, const std::vector<std::string>& turns) {
  v1::CreateSessionRequest create;
  create.set_channel("web");
  auto session = engine.CreateSession(create);
  if (!session.ok()) return session.status();
  int n = 0;
  for (const std::string& text : turns) {
    v1::SendMessageRequest request;
    request.set_session_id(session->session_id());
    request.set_text(text);
    request.set_message_id("example-" + std::to_string(++n));
    auto reply = engine.SendMessage(request);
    if (!reply.ok()) return reply.status();
  }
  v1::GetHandoffRequest request;
  request.set_session_id(session->session_id());
  return engine.GetHandoff(request);
}

int Main(int argc, char** argv) {
  const bool text = argc > 1 && std::string(argv[1]) == "--text";
  KeepLast delivery;
  EngineOptions options;
  options.handoff_delivery = &delivery;
  auto engine = CreateKneechatEngine(options);
  if (!engine.ok()) {
    std::cerr << engine.status() << "\n";
    return 1;
  }
  const std::vector<std::vector<std::string>> conversations = {
      {"I fell off a ladder yesterday and twisted my knee",
       "I cannot stand on it or take four steps",
       "yes please, ring me on 07700 900123", "thanks"},
      {"my knee is sore at the front whenever I run", "three weeks",
       "none of those", "I'm 34"},
  };
  nlohmann::json bundles = nlohmann::json::array();
  for (const auto& turns : conversations) {
    auto handoff = Play(**engine, turns);
    if (!handoff.ok()) {
      std::cerr << handoff.status() << "\n";
      return 1;
    }
    if (text) {
      std::cout << handoff->summary_text() << "\n";
    } else {
      bundles.push_back(nlohmann::json::parse(handoff->fhir_bundle_json()));
    }
  }
  if (!text) std::cout << bundles.dump(2) << "\n";
  return 0;
}

}  // namespace
}  // namespace kneechat

int main(int argc, char** argv) { return kneechat::Main(argc, argv); }
