#include "services/retrieval/doc_set.h"

#include "gtest/gtest.h"

namespace kneechat {
namespace {

TEST(DocSet, HoldsWhatWasAddedWithinItsSize) {
  DocSet set(130);
  EXPECT_FALSE(set.Any());
  set.Add(0);
  set.Add(63);
  set.Add(64);
  set.Add(129);
  set.Add(130);  // beyond the size: ignored
  set.Add(500);
  for (size_t id : {0, 63, 64, 129}) EXPECT_TRUE(set.Has(id)) << id;
  for (size_t id : {1, 62, 65, 128, 130, 500}) EXPECT_FALSE(set.Has(id)) << id;
  EXPECT_TRUE(set.Any());
}

TEST(DocSet, AddAllJoinsSetsOfAnySize) {
  DocSet small(10), large(200);
  small.Add(3);
  large.Add(150);
  large.Add(7);
  large.Add(12);  // beyond the small set, in its first word
  DocSet joined(200);
  joined.AddAll(small);
  joined.AddAll(large);
  EXPECT_TRUE(joined.Has(3));
  EXPECT_TRUE(joined.Has(7));
  EXPECT_TRUE(joined.Has(150));
  small.AddAll(large);  // only what fits
  EXPECT_TRUE(small.Has(7));
  EXPECT_FALSE(small.Has(12));
  EXPECT_FALSE(small.Has(150));
}

}  // namespace
}  // namespace kneechat
