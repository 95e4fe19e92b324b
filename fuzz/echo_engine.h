// An Engine for the fuzz targets: answers every request at once from what
// the request holds (its text comes back in the reply, its query in the
// passages), so that the code around the engine -- decoding, encoding,
// rendering -- sees attacker-controlled strings on the way out too. Keeps
// no state, so memory stays flat over millions of runs.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/engine/engine.h"

namespace kneechat::fuzz {

class EchoEngine : public Engine {
 public:
  absl::StatusOr<v1::CreateSessionResponse> CreateSession(
      const v1::CreateSessionRequest& request) override {
    v1::CreateSessionResponse response;
    response.set_session_id("0123456789abcdef0123456789abcdef");
    Fill(request.channel(), response.mutable_reply());
    return response;
  }

  absl::StatusOr<v1::SendMessageResponse> SendMessage(
      const v1::SendMessageRequest& request) override {
    if (request.text() == "expire") {
      return absl::NotFoundError("session not found or expired");
    }
    v1::SendMessageResponse response;
    Fill(request.text(), response.mutable_reply());
    return response;
  }

  absl::StatusOr<v1::GetSessionResponse> GetSession(
      const v1::GetSessionRequest& request) override {
    v1::GetSessionResponse response;
    v1::Session* session = response.mutable_session();
    session->set_session_id(request.session_id());
    v1::Turn* turn = session->add_transcript();
    turn->set_text(request.session_id());
    turn->mutable_create_time()->set_seconds(1700000000);
    return response;
  }

  absl::StatusOr<v1::DeleteSessionResponse> DeleteSession(
      const v1::DeleteSessionRequest&) override {
    return v1::DeleteSessionResponse();
  }

  absl::StatusOr<v1::SearchResponse> Search(
      const v1::SearchRequest& request) override {
    v1::SearchResponse response;
    for (int i = 0; i < request.page_size() % 4; ++i) {
      v1::Passage* passage = response.add_passages();
      passage->set_text(request.query());
      passage->set_score(request.page_size() * 0.5);
    }
    return response;
  }

  absl::StatusOr<v1::GetHandoffResponse> GetHandoff(
      const v1::GetHandoffRequest& request) override {
    v1::GetHandoffResponse response;
    response.set_summary_text(request.session_id());
    response.set_fhir_bundle_json("{\"resourceType\":\"Bundle\"}");
    return response;
  }

 private:
  // A reply whose kind, quick replies and triage depend on the text's
  // length, so every rendering branch is reached.
  static void Fill(const std::string& text, v1::Reply* reply) {
    const size_t n = text.size();
    reply->set_kind(static_cast<v1::ReplyKind>(1 + n % 9));
    reply->set_text(text);
    if (n % 3 != 0) reply->set_speech(text);
    reply->set_asking(n % 2 == 0 ? "duration" : "");
    for (size_t i = 0; i < n % 6; ++i) {
      v1::QuickReply* quick = reply->add_quick_replies();
      quick->set_id(std::to_string(i));
      // The engine's titles are at most 20 characters; the text whole when
      // it fits, so a title can carry anything a message can.
      quick->set_title(i == 0 && n <= 20 ? text : "Option");
    }
    if (n % 5 == 0) {
      reply->mutable_triage()->set_level(
          static_cast<v1::TriageLevel>(1 + n % 4));
      reply->mutable_triage()->set_action(text);
    }
  }
};

}  // namespace kneechat::fuzz
