#include "services/common/text_proto.h"

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace kneechat {
namespace {

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors.push_back({line, column, message});
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber,
                  const std::string&) override {}

  struct Error {
    int line;
    int column;
    std::string message;
  };
  std::vector<Error> errors;
};

}  // namespace

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return text.str();
}

absl::Status ParseTextProto(absl::string_view text, absl::string_view origin,
                            google::protobuf::Message* message,
                            std::string (*context)(absl::string_view, int)) {
  google::protobuf::TextFormat::Parser parser;
  CollectErrors errors;
  parser.RecordErrorsTo(&errors);
  message->Clear();
  if (parser.ParseFromString(std::string(text), message)) {
    return absl::OkStatus();
  }
  std::vector<std::string> lines;
  for (const auto& e : errors.errors) {
    // The tokenizer counts lines and columns from zero.
    std::string line = absl::StrCat(origin, ":", e.line + 1, ":", e.column + 1,
                                    ": ", e.message);
    if (context != nullptr) {
      std::string where = context(text, e.line);
      if (!where.empty()) absl::StrAppend(&line, " (", where, ")");
    }
    lines.push_back(std::move(line));
  }
  if (lines.empty()) lines.push_back(absl::StrCat(origin, ": cannot parse"));
  return absl::InvalidArgumentError(absl::StrJoin(lines, "; "));
}

}  // namespace kneechat
