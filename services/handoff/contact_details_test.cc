#include "services/handoff/contact_details.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

std::string Found(const std::string& text) {
  auto found = FindContactDetails(text);
  return found ? found->value : "";
}

TEST(ContactDetailsTest, PhoneNumbers) {
  EXPECT_EQ(Found("yes, ring me on 07700 900123 after 5"), "07700 900123");
  EXPECT_EQ(Found("+44 (0)20 7946 0958"), "+44 (0)20 7946 0958");
  EXPECT_EQ(Found("call 555-010-4477 please"), "555-010-4477");
}

TEST(ContactDetailsTest, EmailComesFirst) {
  EXPECT_EQ(Found("yes 07700900123 or sam.o-neil+knee@mail.example.co.uk"),
            "sam.o-neil+knee@mail.example.co.uk");
}

TEST(ContactDetailsTest, AgesDatesAndDurationsAreNotContacts) {
  for (const char* text : {"yes", "I'm 45", "3 weeks", "since 2019",
                           "12/03/2024", "no thanks", "1 2 3"}) {
    EXPECT_EQ(Found(text), "") << text;
  }
}

TEST(ContactDetailsTest, RestIsTheTextWithoutTheContact) {
  auto found = FindContactDetails("yes 07700 900123 thanks");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->rest, "yes   thanks");
}

}  // namespace
}  // namespace kneechat
