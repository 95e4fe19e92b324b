#include "services/channels/whatsapp_render.h"

#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/channels/message_text.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

constexpr size_t kBannerChars = 300;
constexpr char kSourcesHeading[] = "*Sources:*";
// Body of a reply that carries only options (WhatsApp needs some text).
constexpr char kChooseOption[] = "Please choose an option:";
constexpr char kListButton[] = "Choose an answer";

std::string_view BannerLabel(v1::TriageLevel level) {
  switch (level) {
    case v1::TRIAGE_LEVEL_EMERGENCY:
      return "\U0001F6A8 EMERGENCY";
    case v1::TRIAGE_LEVEL_URGENT:
      return "\u26A0\uFE0F URGENT: be seen today";
    case v1::TRIAGE_LEVEL_SOON:
      return "\u2139\uFE0F Book an appointment soon";
    default:
      return "\u26A0\uFE0F Please get this checked";
  }
}

// "*label* — action", bold in WhatsApp's formatting.
std::string Banner(const v1::Reply& reply) {
  const std::string_view label = BannerLabel(reply.triage().level());
  std::string banner = "*";
  banner.append(label.data(), label.size());
  banner.push_back('*');
  if (!reply.triage().action().empty()) {
    absl::StrAppend(&banner, " \u2014 ", reply.triage().action());
  }
  return Abbreviate(banner, kBannerChars);
}

// "[n] title" per citation, one per line.
std::string References(const v1::Reply& reply) {
  std::string block = kSourcesHeading;
  for (int i = 0; i < reply.citations_size(); ++i) {
    const v1::Citation& c = reply.citations(i);
    const int number = c.number() > 0 ? c.number() : i + 1;
    const std::string& title = c.title().empty() ? c.document_id() : c.title();
    absl::StrAppend(&block, "\n[", number, "] ", title);
  }
  return block;
}

// Shortens `title` to `max_units`; an empty title becomes `fallback`.
std::string FitTitle(std::string_view title, std::string_view fallback,
                     size_t max_units) {
  std::string fitted = Abbreviate(title.empty() ? fallback : title, max_units);
  // Abbreviate counts code points; cut further for astral characters.
  while (Utf16Length(fitted) > max_units) {
    fitted = Abbreviate(fitted, Utf8Length(fitted) - 1);
  }
  return fitted;
}

bool AsksWhy(const v1::Reply& reply) {
  if (reply.asking().empty()) return false;
  if (reply.kind() != v1::REPLY_KIND_QUESTION &&
      reply.kind() != v1::REPLY_KIND_CLARIFICATION) {
    return false;
  }
  for (const v1::QuickReply& qr : reply.quick_replies()) {
    if (absl::EqualsIgnoreCase(qr.title(), kWhatsAppWhyTitle)) return false;
  }
  return true;
}

// The options for `reply`'s quick replies (and "Why do you ask?" when
// there is room), titled for buttons or for list rows.
std::vector<WhatsAppOption> Options(const v1::Reply& reply, bool* as_list) {
  const int count = reply.quick_replies_size();
  const bool why = AsksWhy(reply);
  *as_list = static_cast<size_t>(count) > kWhatsAppMaxButtons;
  const size_t max_options = *as_list ? kWhatsAppMaxRows : kWhatsAppMaxButtons;
  const size_t title_units =
      *as_list ? kWhatsAppMaxRowTitleUnits : kWhatsAppMaxButtonTitleUnits;
  std::vector<WhatsAppOption> options;
  std::set<std::string> ids = {kWhatsAppWhyId};
  for (int i = 0; i < count && options.size() < max_options; ++i) {
    const v1::QuickReply& qr = reply.quick_replies(i);
    WhatsAppOption option;
    option.id = qr.id();
    if (option.id.empty() || option.id.size() > kWhatsAppMaxOptionIdBytes ||
        !IsValidUtf8(option.id) || ids.count(option.id) > 0) {
      option.id = absl::StrCat("qr:", i);
    }
    ids.insert(option.id);
    option.title = FitTitle(qr.title(), qr.id(), title_units);
    option.text = qr.title().empty() ? qr.id() : qr.title();
    if (option.text.empty()) continue;
    options.push_back(std::move(option));
  }
  if (why && options.size() < max_options) {
    options.push_back(
        WhatsAppOption{kWhatsAppWhyId, kWhatsAppWhyTitle, kWhatsAppWhyTitle});
  }
  return options;
}

void AddText(std::string_view text, std::vector<WhatsAppMessage>* out) {
  for (std::string& piece : SplitMessage(text, kWhatsAppMaxTextUnits)) {
    out->push_back(
        WhatsAppMessage{WhatsAppMessage::Kind::kText, std::move(piece), {}});
  }
}

}  // namespace

WhatsAppRendering RenderWhatsAppReply(const v1::Reply& reply) {
  WhatsAppRendering rendering;
  std::string whole = reply.text().empty() ? reply.speech() : reply.text();
  if (reply.kind() == v1::REPLY_KIND_REFERRAL) {
    whole = absl::StrCat(Banner(reply), "\n\n", whole);
  }
  if (reply.citations_size() > 0) {
    absl::StrAppend(&whole, "\n\n", References(reply));
  }
  bool as_list = false;
  std::vector<WhatsAppOption> options = Options(reply, &as_list);
  if (options.empty()) {
    AddText(whole, &rendering.messages);
    return rendering;
  }
  // The options go on the last piece, whose body may hold 1024 units.
  std::vector<std::string> pieces = SplitMessage(whole, kWhatsAppMaxTextUnits);
  std::string last = pieces.empty() ? kChooseOption : pieces.back();
  if (!pieces.empty()) pieces.pop_back();
  std::vector<std::string> tail =
      SplitMessage(last, kWhatsAppMaxInteractiveBodyUnits);
  for (size_t i = 0; i + 1 < tail.size(); ++i) pieces.push_back(tail[i]);
  for (std::string& piece : pieces) {
    rendering.messages.push_back(
        WhatsAppMessage{WhatsAppMessage::Kind::kText, std::move(piece), {}});
  }
  rendering.messages.push_back(WhatsAppMessage{
      as_list ? WhatsAppMessage::Kind::kList : WhatsAppMessage::Kind::kButtons,
      tail.empty() ? kChooseOption : tail.back(), std::move(options)});
  return rendering;
}

WhatsAppRendering RenderWhatsAppText(std::string_view text) {
  WhatsAppRendering rendering;
  AddText(text, &rendering.messages);
  return rendering;
}

nlohmann::json WhatsAppMessageBody(std::string_view to,
                                   const WhatsAppMessage& message) {
  nlohmann::json body = {{"messaging_product", "whatsapp"},
                         {"recipient_type", "individual"},
                         {"to", to}};
  if (message.kind == WhatsAppMessage::Kind::kText) {
    body["type"] = "text";
    body["text"] = {{"preview_url", false}, {"body", message.body}};
    return body;
  }
  body["type"] = "interactive";
  nlohmann::json interactive = {{"body", {{"text", message.body}}}};
  if (message.kind == WhatsAppMessage::Kind::kButtons) {
    interactive["type"] = "button";
    nlohmann::json buttons = nlohmann::json::array();
    for (const WhatsAppOption& o : message.options) {
      buttons.push_back(
          {{"type", "reply"}, {"reply", {{"id", o.id}, {"title", o.title}}}});
    }
    interactive["action"] = {{"buttons", std::move(buttons)}};
  } else {
    interactive["type"] = "list";
    nlohmann::json rows = nlohmann::json::array();
    for (const WhatsAppOption& o : message.options) {
      rows.push_back({{"id", o.id}, {"title", o.title}});
    }
    interactive["action"] = {
        {"button", kListButton},
        {"sections", nlohmann::json::array({{{"rows", std::move(rows)}}})}};
  }
  body["interactive"] = std::move(interactive);
  return body;
}

}  // namespace kneechat
