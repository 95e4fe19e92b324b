#include "index/index_writer.h"

#include <fcntl.h>  // AT_FDCWD
#include <stdio.h>  // renameat2
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "index/corpus_loader.h"
#include "index/index_format.h"

namespace kneechat {
namespace {

namespace fs = std::filesystem;

std::string UniqueSibling(const fs::path& target, const char* tag) {
  std::random_device random;
  return absl::StrCat(target.string(), ".", tag, "-", ::getpid(), "-",
                      random());
}

absl::Status ErrnoError(const std::string& what) {
  return absl::InternalError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// Writes the passages to `dir` as a compacted glass database: compaction
// makes the index smaller and faster to search (full, revision-1 blocks).
absl::Status WriteDatabase(const std::vector<Passage>& passages,
                           const std::string& dir) {
  const std::string draft = dir + ".draft";
  try {
    Xapian::WritableDatabase db(draft,
                                Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
    Xapian::TermGenerator generator = index_format::MakeTermGenerator();
    for (const Passage& passage : passages) {
      Xapian::Document document;
      index_format::FillDocument(passage, generator, document);
      db.add_document(document);
    }
    db.set_metadata(index_format::kFormatKey, index_format::kFormatValue);
    db.commit();
    db.close();
    Xapian::Database(draft).compact(dir, Xapian::DBCOMPACT_NO_RENUMBER);
  } catch (const Xapian::Error& e) {
    std::error_code ignored;
    fs::remove_all(draft, ignored);
    return absl::InternalError(
        absl::StrCat("writing index ", dir, ": ", e.get_description()));
  }
  std::error_code error;
  fs::remove_all(draft, error);
  return absl::OkStatus();
}

// Puts the complete index at `fresh` in place of `target`.
absl::Status SwapIn(const fs::path& fresh, const fs::path& target) {
  std::error_code error;
  if (!fs::exists(target, error)) {
    if (::rename(fresh.c_str(), target.c_str()) != 0) {
      return ErrnoError(
          absl::StrCat("renaming ", fresh.string(), " to ", target.string()));
    }
    return absl::OkStatus();
  }
  if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(),
                  RENAME_EXCHANGE) != 0) {
    // File systems without atomic exchange: move the old one aside first.
    const fs::path old = UniqueSibling(target, "old");
    if (::rename(target.c_str(), old.c_str()) != 0) {
      return ErrnoError(absl::StrCat("moving aside ", target.string()));
    }
    if (::rename(fresh.c_str(), target.c_str()) != 0) {
      const absl::Status status = ErrnoError(
          absl::StrCat("renaming ", fresh.string(), " to ", target.string()));
      ::rename(old.c_str(), target.c_str());
      return status;
    }
    fs::remove_all(old, error);
    return absl::OkStatus();
  }
  fs::remove_all(fresh, error);  // now holds the previous index
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteIndex(const std::vector<Passage>& passages,
                        const std::string& out_dir) {
  if (passages.empty()) {
    return absl::InvalidArgumentError("no passages to index");
  }
  const fs::path target = fs::absolute(fs::path(out_dir)).lexically_normal();
  std::error_code error;
  if (fs::exists(target, error) && !fs::is_directory(target, error)) {
    return absl::InvalidArgumentError(
        absl::StrCat(out_dir, " exists and is not a directory"));
  }
  fs::create_directories(target.parent_path(), error);
  if (error) {
    return absl::InternalError(absl::StrCat(
        "creating ", target.parent_path().string(), ": ", error.message()));
  }
  const fs::path fresh = UniqueSibling(target, "tmp");
  absl::Status status = WriteDatabase(passages, fresh.string());
  if (status.ok()) status = SwapIn(fresh, target);
  if (!status.ok()) fs::remove_all(fresh, error);
  return status;
}

absl::StatusOr<int> BuildIndexFromCorpus(const std::string& corpus_dir,
                                         const std::string& out_dir) {
  absl::StatusOr<LoadedCorpus> corpus = LoadCorpus(corpus_dir);
  if (!corpus.ok()) return corpus.status();
  absl::Status status = WriteIndex(corpus->passages, out_dir);
  if (!status.ok()) return status;
  return static_cast<int>(corpus->passages.size());
}

}  // namespace kneechat
