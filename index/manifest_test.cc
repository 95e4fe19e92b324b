#include "index/manifest.h"

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace kneechat {
namespace {

std::string WriteTemp(const std::string& name, const std::string& content) {
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/", ::getpid(), "_", name);
  std::ofstream(path) << content;
  return path;
}

TEST(ManifestTest, ReadsEntries) {
  const std::string path = WriteTemp(
      "ok.tsv",
      "file\tid\ttitle\n# comment\na.txt\tknee-a\tKnee A\nb.txt\tb\tB\n");
  absl::StatusOr<std::vector<ArticleEntry>> entries = LoadManifest(path);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].file, "a.txt");
  EXPECT_EQ((*entries)[0].document_id, "knee-a");
  EXPECT_EQ((*entries)[0].title, "Knee A");
}

TEST(ManifestTest, RejectsMalformedLinesNamingThem) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"header.tsv", "name\tid\ttitle\na.txt\ta\tA\n"},
      {"dup.tsv", "file\tid\ttitle\na.txt\ta\tA\nb.txt\ta\tB\n"},
      {"id.tsv", "file\tid\ttitle\na.txt\tBad Id\tA\n"},
      {"path.tsv", "file\tid\ttitle\n../a.txt\ta\tA\n"},
      {"short.tsv", "file\tid\ttitle\na.txt\ta\n"},
      {"empty.tsv", "file\tid\ttitle\n"}};
  for (const auto& [name, content] : bad) {
    absl::StatusOr<std::vector<ArticleEntry>> entries =
        LoadManifest(WriteTemp(name, content));
    EXPECT_EQ(entries.status().code(), absl::StatusCode::kInvalidArgument)
        << name;
    EXPECT_THAT(entries.status().message(), ::testing::HasSubstr(name));
  }
  EXPECT_EQ(LoadManifest("/nonexistent/manifest.tsv").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace kneechat
