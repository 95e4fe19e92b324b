// Fuzzes the loaders of kneechat's knowledge and configuration files: a
// clinician or an operator edits these by hand, so any text must load or be
// refused with kInvalidArgument naming the place -- never crash, hang or
// leak. The text-format files go through services/common/text_proto, the
// TSV files through each loader's own reader.
//
// Input: the first byte picks the file kind; the rest is its content.
#include <google/protobuf/stubs/logging.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "services/common/paths.h"
#include "services/common/text_proto.h"
#include "services/config/deployment_config.h"
#include "services/dialogue/dialogue_knowledge.h"
#include "services/retrieval/lexicon.h"
#include "services/retrieval/question_reader.h"
#include "services/triage/finding_vocabulary.h"
#include "services/triage/triage.h"
#include "services/understanding/crisis_scorer.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

// A refusal is kInvalidArgument; nothing else may come out of bad text.
template <typename T>
void CheckRefusal(const absl::StatusOr<T>& loaded) {
  if (!loaded.ok()) {
    Check(loaded.status().code() == absl::StatusCode::kInvalidArgument);
  }
}

std::set<std::string>* finding_ids = nullptr;
std::string* scratch_file = nullptr;

std::vector<std::string> Lines(absl::string_view text) {
  return absl::StrSplit(text, '\n');
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // libprotobuf logs every string field with invalid UTF-8 it parses; the
  // server routes that to its log (error_policy.h), here it is noise.
  google::protobuf::SetLogHandler(nullptr);
  const std::string corpus = kneechat::DefaultDataPaths().corpus_dir;
  absl::StatusOr<std::set<std::string>> ids =
      kneechat::LoadFindingIds(corpus + "/understanding/findings.tsv");
  if (!ids.ok()) {
    std::fprintf(stderr, "knowledge_fuzzer: %s\n",
                 ids.status().ToString().c_str());
    std::abort();
  }
  finding_ids = new std::set<std::string>(*std::move(ids));
  // CrisisScorer reads a file: one per process, rewritten for each input.
  char path[] = "/tmp/kneechat-knowledge-fuzzer-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) std::abort();
  close(fd);
  scratch_file = new std::string(path);
  std::atexit([] { std::remove(scratch_file->c_str()); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // absl::string_view: Debian's absl is built with its own string_view.
  const absl::string_view text(reinterpret_cast<const char*>(data + 1),
                               size - 1);
  switch (data[0] % 7) {
    case 0: {  // deploy/kneechat.textproto
      CheckRefusal(kneechat::ParseDeploymentConfig(text, "fuzz"));
      break;
    }
    case 1: {  // corpus/triage/red_flags.textproto
      auto triage = kneechat::Triage::FromText(
          text, *finding_ids, kneechat::DefaultDeploymentConfig());
      CheckRefusal(triage);
      if (triage.ok()) (*triage)->Assess({}, {});
      break;
    }
    case 2: {  // corpus/dialogue/dialogue.textproto
      kneechat::DialogueText dialogue;
      absl::Status parsed = kneechat::ParseTextProto(text, "fuzz", &dialogue);
      if (!parsed.ok()) {
        Check(parsed.code() == absl::StatusCode::kInvalidArgument);
        break;
      }
      auto knowledge = kneechat::DialogueKnowledge::FromText(dialogue);
      CheckRefusal(knowledge);
      if (knowledge.ok()) (*knowledge)->Wonders("did I damage something");
      break;
    }
    case 3: {  // corpus/understanding/findings.tsv
      CheckRefusal(kneechat::ParseFindingIds(text, "fuzz"));
      break;
    }
    case 4: {  // corpus/lexicon.tsv
      auto lexicon = kneechat::Lexicon::FromLines(Lines(text));
      CheckRefusal(lexicon);
      break;
    }
    case 5: {  // corpus/retrieval/questions.tsv
      auto reader = kneechat::QuestionReader::FromLines(Lines(text));
      CheckRefusal(reader);
      if (reader.ok()) (*reader)->Read("how long will my knee hurt?");
      break;
    }
    default: {  // corpus/understanding/crisis_weights.tsv
      {
        std::ofstream out(*scratch_file, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
      }
      auto scorer =
          kneechat::understanding_internal::CrisisScorer::Load(*scratch_file);
      CheckRefusal(scorer);
      if (scorer.ok()) (*scorer)->Score("i can't go on like this");
      break;
    }
  }
  return 0;
}
