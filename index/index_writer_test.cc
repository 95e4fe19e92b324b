// Builds an index with the kneechat-index tool from the tiny fixture corpus
// in testdata/ and searches it with Xapian directly.
#include "index/index_writer.h"

#include <sys/wait.h>
#include <xapian.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "index/index_format.h"

namespace kneechat {
namespace {

namespace fs = std::filesystem;

class IndexWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           absl::StrCat(
               "kneechat_index_test_", ::getpid(), "_",
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the tool; returns its exit status.
  int RunTool(const std::string& corpus, const std::string& out) {
    const std::string command = absl::StrCat(
        "'", KNEECHAT_INDEX_TOOL, "' --corpus '", corpus, "' --out '", out,
        "' 2>'", (dir_ / "stderr").string(), "'");
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string Stderr() {
    std::ifstream in(dir_ / "stderr");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  std::vector<std::string> Search(const std::string& index,
                                  const std::string& term) {
    Xapian::Database db(index);
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query(term));
    std::vector<std::string> ids;
    Xapian::MSet mset = enquire.get_mset(0, 10);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      ids.push_back(
          index_format::DecodePassageData(it.get_document().get_data())
              ->passage_id);
    }
    return ids;
  }

  fs::path dir_;
};

TEST_F(IndexWriterTest, ToolBuildsASearchableIndex) {
  const std::string index = (dir_ / "data" / "tiny.xapian").string();
  ASSERT_EQ(RunTool(KNEECHAT_INDEX_TESTDATA "/tiny_corpus", index), 0)
      << Stderr();

  Xapian::Database db(index);
  EXPECT_EQ(db.get_metadata(index_format::kFormatKey),
            index_format::kFormatValue);
  EXPECT_EQ(db.get_doccount(), 2u);
  // Stemmed, positional terms: "patella" and the phrase "running shoes".
  EXPECT_THAT(Search(index, "Zpatella"), ::testing::ElementsAre("alpha-doc#1"));
  Xapian::Enquire enquire(db);
  const std::vector<Xapian::Query> phrase = {Xapian::Query("Zrun"),
                                             Xapian::Query("Zshoe")};
  enquire.set_query(
      Xapian::Query(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end()));
  EXPECT_EQ(enquire.get_mset(0, 10).size(), 1u);
  // Boolean id terms and the stored passage.
  ASSERT_EQ(Search(index, "Qbeta-doc#1").size(), 1u);
  Xapian::PostingIterator it = db.postlist_begin("Qbeta-doc#1");
  absl::StatusOr<Passage> passage =
      index_format::DecodePassageData(db.get_document(*it).get_data());
  ASSERT_TRUE(passage.ok());
  EXPECT_EQ(passage->document_id, "beta-doc");
  EXPECT_EQ(passage->title, "Beta about running shoes");
  EXPECT_EQ(passage->heading, "Shoes");
  EXPECT_EQ(passage->text,
            "Good running shoes spread the load of each foot strike. Replace "
            "trainers regularly.\n• Run on grass\n• Build up slowly");
  // Junk from the fixture never reaches the index.
  EXPECT_TRUE(Search(index, "Zoff").empty());
  EXPECT_TRUE(Search(index, "Zsmile").empty());
  EXPECT_TRUE(Search(index, "Zinsert").empty());
  EXPECT_TRUE(Search(index, "top").empty());
}

TEST_F(IndexWriterTest, RebuildReplacesTheIndexAndLeavesNoTemporaries) {
  const std::string index = (dir_ / "tiny.xapian").string();
  ASSERT_EQ(RunTool(KNEECHAT_INDEX_TESTDATA "/tiny_corpus", index), 0)
      << Stderr();
  const std::string first_uuid = Xapian::Database(index).get_uuid();
  ASSERT_EQ(RunTool(KNEECHAT_INDEX_TESTDATA "/tiny_corpus", index), 0)
      << Stderr();
  EXPECT_NE(Xapian::Database(index).get_uuid(), first_uuid);
  EXPECT_EQ(Xapian::Database(index).get_doccount(), 2u);
  int entries = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().filename() != "stderr") ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST_F(IndexWriterTest, ToolFailsOnAMissingCorpusNamingTheFile) {
  EXPECT_NE(RunTool((dir_ / "nowhere").string(), (dir_ / "x").string()), 0);
  EXPECT_THAT(Stderr(), ::testing::HasSubstr("manifest.tsv"));
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}

TEST_F(IndexWriterTest, WriteIndexRejectsBadTargets) {
  Passage passage{"d", "d#1", "T", "", "Some text about knees."};
  EXPECT_EQ(WriteIndex({}, (dir_ / "empty").string()).code(),
            absl::StatusCode::kInvalidArgument);
  std::ofstream((dir_ / "file").string()) << "not a directory";
  EXPECT_EQ(WriteIndex({passage}, (dir_ / "file").string()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(WriteIndex({passage}, (dir_ / "ok").string()).ok());
}

}  // namespace
}  // namespace kneechat
