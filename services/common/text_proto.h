// Reading kneechat's text-format knowledge and configuration files.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace kneechat {

// The whole file. kNotFound when it cannot be opened.
absl::StatusOr<std::string> ReadTextFile(const std::string& path);

// Parses `text` into `message` (cleared first). Unknown fields and syntax
// errors give kInvalidArgument "<origin>:<line>:<column>: <what>", with
// `context(line)` appended when it is non-empty (e.g. the enclosing rule).
absl::Status ParseTextProto(absl::string_view text, absl::string_view origin,
                            google::protobuf::Message* message,
                            std::string (*context)(absl::string_view text,
                                                   int line) = nullptr);

}  // namespace kneechat
