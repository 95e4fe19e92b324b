#include "services/handoff/handoff_view.h"

#include <algorithm>

#include "google/protobuf/util/time_util.h"

namespace kneechat {
namespace {

absl::Time FromTimestamp(const google::protobuf::Timestamp& t) {
  return absl::FromUnixNanos(
      google::protobuf::util::TimeUtil::TimestampToNanoseconds(t));
}

}  // namespace

HandoffView ReadHandoffView(const SessionState& state) {
  HandoffView view;
  const v1::Session& session = state.session();
  view.session_id = session.session_id();
  view.channel = session.channel();
  view.state = session.state();
  view.create_time = FromTimestamp(session.create_time());
  view.level = state.max_level();
  // The last reply's triage, unless it no longer names the red flags the
  // last referral did.
  const v1::Triage& triage =
      session.triage().red_flags_size() == 0 &&
              state.handoff_referral().red_flags_size() > 0
          ? state.handoff_referral()
          : session.triage();
  view.action = triage.action();
  view.reason = triage.reason();
  view.red_flags.assign(triage.red_flags().begin(), triage.red_flags().end());
  for (const v1::Finding& public_finding : session.findings()) {
    HandoffView::Finding f;
    f.id = public_finding.id();
    f.polarity = public_finding.polarity();
    f.evidence = public_finding.evidence();
    auto stored = state.findings().find(public_finding.id());
    if (stored != state.findings().end()) {
      f.temporality = stored->second.temporality();
      f.experiencer = stored->second.experiencer();
    }
    view.findings.push_back(std::move(f));
  }
  for (const auto& [id, slot] : state.slots()) {
    view.slots.push_back({id, slot.value(), slot.evidence()});
  }
  std::sort(view.slots.begin(), view.slots.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  for (const std::string& key : state.asked()) {
    if (std::find(view.asked.begin(), view.asked.end(), key) ==
        view.asked.end()) {
      view.asked.push_back(key);
    }
  }
  view.condition = state.condition();
  for (const v1::Turn& turn : session.transcript()) {
    const bool person = turn.role() == v1::Turn::ROLE_USER;
    view.transcript.push_back(
        {person, turn.text(), FromTimestamp(turn.create_time())});
    if (!person && turn.reply().citations_size() > 0 &&
        turn.reply().kind() == v1::REPLY_KIND_ANSWER) {
      view.advice.push_back(
          {turn.reply().text(),
           {turn.reply().citations().begin(), turn.reply().citations().end()}});
    }
  }
  view.dropped_turns = session.dropped_turns();
  view.consent = state.handoff_consent();
  if (state.handoff_consent_time() > 0) {
    view.consent_time = absl::FromUnixSeconds(state.handoff_consent_time());
  }
  view.contact = state.handoff_contact();
  return view;
}

}  // namespace kneechat
