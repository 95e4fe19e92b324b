#include "services/channels/telegram_render.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/channels/message_text.h"
#include "services/common/utf8.h"

namespace kneechat {
namespace {

constexpr size_t kBannerChars = 300;
constexpr size_t kMaxButtons = 8;
// Buttons share one row when there are few and their titles are short.
constexpr size_t kMaxButtonsInRow = 3;
constexpr size_t kShortTitleChars = 12;
constexpr char kSourcesHeading[] = "Sources:";
// Text for a reply that carries only buttons (Telegram needs some text).
constexpr char kChooseOption[] = "Please choose an option:";

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

std::string Banner(const v1::Reply& reply) {
  std::string banner(BannerLabel(reply.triage().level()));
  if (!reply.triage().action().empty()) {
    absl::StrAppend(&banner, " \u2014 ", reply.triage().action());
  }
  return Abbreviate(banner, kBannerChars);
}

std::string SourcesBlock(const v1::Reply& reply) {
  std::string block = kSourcesHeading;
  for (int i = 0; i < reply.citations_size(); ++i) {
    const v1::Citation& c = reply.citations(i);
    const int number = c.number() > 0 ? c.number() : i + 1;
    absl::StrAppend(&block, "\n[", number, "] ", c.title());
    const std::string excerpt = Abbreviate(c.excerpt(), kTelegramExcerptChars);
    if (!excerpt.empty()) {
      absl::StrAppend(&block, " \u2014 \u201C", excerpt, "\u201D");
    }
  }
  return block;
}

void AddPieces(std::string_view text, std::vector<TelegramMessage>* out,
               size_t bold_prefix_units) {
  bool first = true;
  for (std::string& piece : SplitMessage(text, kTelegramMaxTextUnits)) {
    TelegramMessage message;
    message.text = std::move(piece);
    if (first && bold_prefix_units > 0) {
      message.entities.push_back(TelegramEntity{
          "bold", 0, std::min(bold_prefix_units, Utf16Length(message.text))});
    }
    first = false;
    out->push_back(std::move(message));
  }
}

// The reason is offered when the reply has one and does not start with it.
bool OffersWhy(const v1::Reply& reply) {
  return !reply.why().empty() && !absl::StartsWith(reply.text(), reply.why());
}

void AddKeyboard(const v1::Reply& reply, TelegramRendering* rendering) {
  const int count =
      std::min<int>(reply.quick_replies_size(), static_cast<int>(kMaxButtons));
  if (rendering->messages.empty()) return;
  if (OffersWhy(reply)) {
    // Below the quick replies, whatever their layout.
    TelegramButton why{kTelegramWhyTitle, kTelegramWhyCallbackData};
    rendering->buttons.emplace_back(why.callback_data, why.text);
    rendering->messages.back().keyboard.push_back({std::move(why)});
  }
  if (count == 0) return;
  bool one_row = count <= static_cast<int>(kMaxButtonsInRow);
  std::vector<TelegramButton> buttons;
  for (int i = 0; i < count; ++i) {
    const v1::QuickReply& qr = reply.quick_replies(i);
    TelegramButton button;
    button.text = qr.title().empty() ? qr.id() : qr.title();
    button.callback_data = TelegramCallbackData(qr, i);
    if (Utf8Length(button.text) > kShortTitleChars) one_row = false;
    rendering->buttons.emplace_back(button.callback_data, button.text);
    buttons.push_back(std::move(button));
  }
  auto& keyboard = rendering->messages.back().keyboard;
  std::vector<std::vector<TelegramButton>> rows;
  if (one_row) {
    rows.push_back(std::move(buttons));
  } else {
    for (TelegramButton& b : buttons) rows.push_back({std::move(b)});
  }
  keyboard.insert(keyboard.begin(), std::make_move_iterator(rows.begin()),
                  std::make_move_iterator(rows.end()));
}

}  // namespace

std::string TelegramCallbackData(const v1::QuickReply& quick_reply, int index) {
  const std::string& id = quick_reply.id();
  if (!id.empty() && id.size() <= kTelegramMaxCallbackDataBytes &&
      IsValidUtf8(id)) {
    return id;
  }
  return absl::StrCat("qr:", index);
}

TelegramRendering RenderTelegramReply(const v1::Reply& reply) {
  TelegramRendering rendering;
  const std::string banner =
      reply.kind() == v1::REPLY_KIND_REFERRAL ? Banner(reply) : "";
  std::string body = reply.text().empty() ? reply.speech() : reply.text();
  std::string head = banner.empty() ? body : absl::StrCat(banner, "\n\n", body);
  const size_t banner_units = Utf16Length(banner);
  const std::string sources =
      reply.citations_size() > 0 ? SourcesBlock(reply) : "";

  const std::string whole =
      sources.empty() ? head : absl::StrCat(head, "\n\n", sources);
  if (Utf16Length(whole) <= kTelegramMaxTextUnits) {
    AddPieces(whole, &rendering.messages, banner_units);
    if (!sources.empty() && !rendering.messages.empty()) {
      TelegramMessage& m = rendering.messages.front();
      const size_t at = m.text.rfind(sources);
      if (at != std::string::npos) {
        m.entities.push_back(TelegramEntity{
            "bold", Utf16Length(std::string_view(m.text).substr(0, at)),
            Utf16Length(kSourcesHeading)});
      }
    }
  } else {
    AddPieces(head, &rendering.messages, banner_units);
    AddPieces(sources, &rendering.messages, Utf16Length(kSourcesHeading));
  }
  if (rendering.messages.empty() &&
      (reply.quick_replies_size() > 0 || OffersWhy(reply))) {
    rendering.messages.push_back(TelegramMessage{kChooseOption, {}, {}});
  }
  AddKeyboard(reply, &rendering);
  return rendering;
}

TelegramRendering RenderTelegramText(std::string_view text) {
  TelegramRendering rendering;
  AddPieces(text, &rendering.messages, 0);
  return rendering;
}

nlohmann::json TelegramSendMessageBody(int64_t chat_id,
                                       const TelegramMessage& message) {
  nlohmann::json body = {
      {"chat_id", chat_id},
      {"text", message.text},
      {"link_preview_options", {{"is_disabled", true}}},
  };
  if (!message.entities.empty()) {
    nlohmann::json entities = nlohmann::json::array();
    for (const TelegramEntity& e : message.entities) {
      entities.push_back(
          {{"type", e.type}, {"offset", e.offset}, {"length", e.length}});
    }
    body["entities"] = std::move(entities);
  }
  if (!message.keyboard.empty()) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : message.keyboard) {
      nlohmann::json buttons = nlohmann::json::array();
      for (const TelegramButton& b : row) {
        buttons.push_back(
            {{"text", b.text}, {"callback_data", b.callback_data}});
      }
      rows.push_back(std::move(buttons));
    }
    body["reply_markup"] = {{"inline_keyboard", std::move(rows)}};
  }
  return body;
}

}  // namespace kneechat
