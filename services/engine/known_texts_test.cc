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
  const std::string ref =
      *old_texts.Refer("How long has the knee been hurting you?");
  EXPECT_EQ(new_texts.Resolve(ref), "");
  EXPECT_EQ(new_texts.Resolve("\x1A#nothex"), "");
}

TEST(KnownTextsTest, NamesEveryListOfQuickRepliesOfAMessage) {
  v1::Reply knowledge;  // its quick_replies: a list of (id, title)
  for (const char* id : {"yes", "no", "unsure"}) {
    v1::QuickReply* q = knowledge.add_quick_replies();
    q->set_id(id);
    q->set_title(std::string(id) + " title");
  }
  KnownTexts texts;
  texts.Add(knowledge);
  auto ref = texts.ReferQuickReplies(knowledge.quick_replies());
  ASSERT_TRUE(ref.has_value());
  google::protobuf::RepeatedPtrField<v1::QuickReply> shown;
  ASSERT_TRUE(texts.ResolveQuickReplies(*ref, &shown));
  ASSERT_EQ(shown.size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(shown[i].id(), knowledge.quick_replies(i).id());
    EXPECT_EQ(shown[i].title(), knowledge.quick_replies(i).title());
  }
  // Another order, another title, a part: not known.
  v1::Reply other = knowledge;
  other.mutable_quick_replies()->SwapElements(0, 1);
  EXPECT_FALSE(texts.ReferQuickReplies(other.quick_replies()).has_value());
  other = knowledge;
  other.mutable_quick_replies(2)->set_title("Not sure");
  EXPECT_FALSE(texts.ReferQuickReplies(other.quick_replies()).has_value());
  other.mutable_quick_replies()->RemoveLast();
  EXPECT_FALSE(texts.ReferQuickReplies(other.quick_replies()).has_value());
  // Not a reference; a list no longer known shows none.
  EXPECT_FALSE(texts.ResolveQuickReplies("yes", &shown));
  EXPECT_TRUE(texts.ResolveQuickReplies("\x1A#0123456789abcdef", &shown));
  EXPECT_TRUE(shown.empty());
}

}  // namespace
}  // namespace kneechat
