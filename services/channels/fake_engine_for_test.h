// A scripted Engine for the channel adapter tests: a greeting, then a
// follow-up question with quick replies, then cited answers; "can't walk"
// gets an urgent referral and "bye" a goodbye. Honours message_id
// idempotency and can expire every session.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/engine/engine.h"

namespace kneechat {

class FakeEngine : public Engine {
 public:
  struct Call {
    std::string session_id, text, message_id;
  };

  absl::StatusOr<v1::CreateSessionResponse> CreateSession(
      const v1::CreateSessionRequest& request) override {
    absl::MutexLock lock(&mu_);
    channels_.push_back(request.channel());
    const std::string id = absl::StrCat("session-", ++next_session_);
    sessions_[id] = Session{};
    v1::CreateSessionResponse response;
    response.set_session_id(id);
    v1::Reply* reply = response.mutable_reply();
    reply->set_kind(v1::REPLY_KIND_GREETING);
    reply->set_text("Hello! Tell me about your knee.");
    reply->set_speech("Hello. Tell me about your knee.");
    return response;
  }

  absl::StatusOr<v1::SendMessageResponse> SendMessage(
      const v1::SendMessageRequest& request) override {
    absl::MutexLock lock(&mu_);
    if (!fail_next_send_.ok()) {
      absl::Status failure = fail_next_send_;
      fail_next_send_ = absl::OkStatus();
      return failure;
    }
    auto it = sessions_.find(request.session_id());
    if (it == sessions_.end()) return absl::NotFoundError("no such session");
    if (request.text().empty()) return absl::InvalidArgumentError("empty");
    Session& session = it->second;
    if (auto seen = session.replies.find(request.message_id());
        !request.message_id().empty() && seen != session.replies.end()) {
      return seen->second;
    }
    turns_.push_back(
        Call{request.session_id(), request.text(), request.message_id()});
    v1::SendMessageResponse response;
    *response.mutable_reply() = NextReply(session, request.text());
    if (!request.message_id().empty()) {
      session.replies[request.message_id()] = response;
    }
    return response;
  }

  absl::StatusOr<v1::GetSessionResponse> GetSession(
      const v1::GetSessionRequest&) override {
    return absl::UnimplementedError("not used");
  }

  absl::StatusOr<v1::DeleteSessionResponse> DeleteSession(
      const v1::DeleteSessionRequest& request) override {
    absl::MutexLock lock(&mu_);
    deleted_.push_back(request.session_id());
    if (sessions_.erase(request.session_id()) == 0) {
      return absl::NotFoundError("no such session");
    }
    return v1::DeleteSessionResponse();
  }

  absl::StatusOr<v1::SearchResponse> Search(const v1::SearchRequest&) override {
    return absl::UnimplementedError("not used");
  }

  // A fixed summary for a known session (the phone line sends it to the
  // clinic when a call is transferred).
  absl::StatusOr<v1::GetHandoffResponse> GetHandoff(
      const v1::GetHandoffRequest& request) override {
    absl::MutexLock lock(&mu_);
    handoffs_.push_back(request.session_id());
    if (sessions_.count(request.session_id()) == 0) {
      return absl::NotFoundError("no such session");
    }
    v1::GetHandoffResponse response;
    response.set_summary_text("S: knee pain");
    response.set_fhir_bundle_json(
        "{\"resourceType\":\"Bundle\",\"type\":\"collection\"}");
    response.set_triage_level(v1::TRIAGE_LEVEL_URGENT);
    return response;
  }
  std::vector<std::string> handoffs() {
    absl::MutexLock lock(&mu_);
    return handoffs_;
  }

  // Turns that advanced a dialogue (repeats excluded).
  std::vector<Call> turns() {
    absl::MutexLock lock(&mu_);
    return turns_;
  }
  std::vector<std::string> channels() {
    absl::MutexLock lock(&mu_);
    return channels_;
  }
  std::vector<std::string> deleted() {
    absl::MutexLock lock(&mu_);
    return deleted_;
  }
  int sessions_created() {
    absl::MutexLock lock(&mu_);
    return next_session_;
  }
  void ExpireAllSessions() {
    absl::MutexLock lock(&mu_);
    sessions_.clear();
  }
  // The next SendMessage fails with `status` (and changes nothing).
  void FailNextSend(absl::Status status) {
    absl::MutexLock lock(&mu_);
    fail_next_send_ = std::move(status);
  }
  // Text and speech of the next answers (to test rendering defences).
  void SetAnswer(std::string text, std::string speech) {
    absl::MutexLock lock(&mu_);
    answer_text_ = std::move(text);
    answer_speech_ = std::move(speech);
  }

 private:
  struct Session {
    int turn = 0;
    std::map<std::string, v1::SendMessageResponse> replies;
  };

  v1::Reply NextReply(Session& session, const std::string& text) {
    v1::Reply reply;
    if (absl::StrContains(text, "can't walk")) {
      reply.set_kind(v1::REPLY_KIND_REFERRAL);
      reply.set_text(
          "Because you can't walk on it after a fall, you should be seen "
          "today.");
      reply.set_speech(
          "Because you can't walk on it after a fall, you should be seen "
          "today.");
      reply.mutable_triage()->set_level(v1::TRIAGE_LEVEL_URGENT);
      reply.mutable_triage()->set_action("Go to an urgent care centre today.");
      v1::RedFlag* flag = reply.mutable_triage()->add_red_flags();
      flag->set_id("cannot_bear_weight");
      flag->set_evidence("can't walk");
      return reply;
    }
    if (absl::StrContains(text, "bye")) {
      reply.set_kind(v1::REPLY_KIND_GOODBYE);
      reply.set_text("Take care. Goodbye!");
      reply.set_speech("Take care. Goodbye.");
      return reply;
    }
    if (session.turn++ == 0) {
      reply.set_kind(v1::REPLY_KIND_QUESTION);
      reply.set_asking("onset");
      reply.set_text("Did the pain start suddenly or gradually?");
      reply.set_speech("Did the pain start suddenly, or gradually?");
      const std::pair<const char*, const char*> options[] = {
          {"onset:sudden", "Sudden"},
          {"onset:gradual", "Gradual"},
          {"not_sure", "Not sure"}};
      for (const auto& [id, title] : options) {
        v1::QuickReply* qr = reply.add_quick_replies();
        qr->set_id(id);
        qr->set_title(title);
      }
      return reply;
    }
    reply.set_kind(v1::REPLY_KIND_ANSWER);
    reply.set_text(answer_text_);
    reply.set_speech(answer_speech_);
    reply.mutable_triage()->set_level(v1::TRIAGE_LEVEL_SELF_CARE);
    const std::pair<const char*, const char*> cites[] = {
        {"patellofemoral-pain", "Patellofemoral knee pain"},
        {"cure-knee-pain-from-running", "How to cure knee pain from running"}};
    int n = 0;
    for (const auto& [doc, title] : cites) {
      v1::Citation* c = reply.add_citations();
      c->set_document_id(doc);
      c->set_passage_id(absl::StrCat(doc, "#", n));
      c->set_title(title);
      c->set_excerpt(
          "Rest from activities that make the pain worse, and use an ice pack "
          "wrapped in a towel for up to 20 minutes every 2 to 3 hours.");
      c->set_number(++n);
    }
    return reply;
  }

  absl::Mutex mu_;
  absl::Status fail_next_send_;
  int next_session_ = 0;
  std::map<std::string, Session> sessions_;
  std::vector<Call> turns_;
  std::vector<std::string> channels_, deleted_, handoffs_;
  std::string answer_text_ =
      "Gradual pain at the front of the knee is often patellofemoral pain "
      "[1]. Rest and ice help [2].";
  std::string answer_speech_ =
      "Gradual pain at the front of the knee is often patellofemoral pain. "
      "Rest and ice help.";
};

}  // namespace kneechat
