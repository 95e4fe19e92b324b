#include "services/engine/known_texts.h"

#include "gtest/gtest.h"
#include "kneechat/v1/kneechat.pb.h"

namespace kneechat {
namespace {

TEST(KnownTextsTest, NamesEveryLongStringOfAMessageAndResolvesIt) {
  v1::Reply knowledge;  // any message: strings, nested and repeated fields
  knowledge.set_text("How long has the knee been hurting you?");
  knowledge.mutable_triage()->set_reason("A reason long enough to be named.");
  knowledge.add_quick_replies()->set_title("Short");
  KnownTexts texts;
  texts.Add(knowledge);
  EXPECT_EQ(texts.size(), 2u);

  for (const std::string& text :
       {knowledge.text(), knowledge.triage().reason()}) {
    auto ref = texts.Refer(text);
    ASSERT_TRUE(ref.has_value()) << text;
    EXPECT_LT(ref->size(), text.size());
    EXPECT_EQ(texts.Resolve(*ref), text);
  }
  EXPECT_FALSE(texts.Refer("Short").has_value());
  EXPECT_FALSE(texts.Refer("How long has the knee been hurting me?"));
  EXPECT_FALSE(texts.Resolve("plain text").has_value());
}

TEST(KnownTextsTest, AReferenceToATextNoLongerKnownResolvesEmpty) {
  v1::Reply before;
  before.set_text("How long has the knee been hurting you?");
  KnownTexts old_texts, new_texts;
  old_texts.Add(before);
  before.set_text("How long has your knee been hurting you?");
  new_texts.Add(before);
  const std::string ref = *old_texts.Refer("How long has the knee been hurting you?");
  EXPECT_EQ(new_texts.Resolve(ref), "");
  EXPECT_EQ(new_texts.Resolve("\x1A#nothex"), "");
}

}  // namespace
}  // namespace kneechat
