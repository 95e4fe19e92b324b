#include "clients/cli/eval.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "clients/cli/rpc.h"

namespace kneechat::cli {
namespace {

// The scorer's constants, as kneeeval.py defines them.
const std::map<std::string, std::string>& BenignDefaults() {
  static const auto* defaults = new std::map<std::string, std::string>{
      {"red_flags", "No, none of those."},
      {"weight_bearing", "Yes, walking on it is fine."},
      {"swelling", "No real swelling."},
      {"age", "I'm 35."},
      {"duration", "A few weeks."},
      {"onset", "It came on gradually."},
      {"activity", "Mostly when I exercise."},
      {"location", "Around the kneecap."}};
  return *defaults;
}

const std::vector<std::string>& Levels() {
  static const auto* levels = new std::vector<std::string>{
      "TRIAGE_LEVEL_UNSPECIFIED", "SELF_CARE", "SOON", "URGENT", "EMERGENCY"};
  return *levels;
}

constexpr int kUrgent = 3;
constexpr int kMaxMessages = 16;
constexpr int kMaxFallbackAnswers = 6;

// Text a cited excerpt must never carry: advertising, editor's notes, site
// chrome.
const std::vector<std::string>& Spam() {
  static const auto* spam =
      new std::vector<std::string>{"aflac",
                                   "hysterectomy",
                                   "inversion table",
                                   "cellulite",
                                   "fat around knees",
                                   "knock knees",
                                   "33% off",
                                   "call premier sports",
                                   "contact us today",
                                   "35,000 patients",
                                   "runner's recovery package",
                                   "runner\xe2\x80\x99s recovery package",
                                   "(insert what makes",
                                   "free, off-road parking",
                                   "book a class",
                                   "popular articles",
                                   "homeexclusive",
                                   "top of page",
                                   "bottom of page",
                                   "trustworthy source"};
  return *spam;
}

// Python's RANK.get(name, 0) over Levels().
int Rank(const std::string& level) {
  const auto& levels = Levels();
  const auto it = std::find(levels.begin(), levels.end(), level);
  return it == levels.end() ? 0 : static_cast<int>(it - levels.begin());
}

// Python truthiness.
bool Truthy(const Json& value) {
  if (value.is_null()) return false;
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_number()) return value.get<double>() != 0;
  if (value.is_string()) return !value.get_ref<const std::string&>().empty();
  return !value.empty();
}

const Json& Get(const Json& object, const char* key) {
  static const Json* null = new Json();
  if (!object.is_object()) return *null;
  const auto it = object.find(key);
  return it == object.end() ? *null : *it;
}

// Python's str() of a JSON scalar, for ids and profile answers.
std::string Str(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

bool Contains(const Json& list, const std::string& item) {
  if (!list.is_array()) return false;
  for (const Json& entry : list) {
    if (entry.is_string() && entry.get_ref<const std::string&>() == item) {
      return true;
    }
  }
  return false;
}

// any(t.lower() in body for t in terms), `body` already lower-cased.
bool AnyTermIn(const Json& terms, const std::string& body) {
  if (!terms.is_array()) return false;
  for (const Json& term : terms) {
    if (absl::StrContains(body, absl::AsciiStrToLower(Str(term)))) return true;
  }
  return false;
}

// The first `n` code points of UTF-8 `text` (Python's text[:n]).
std::string Prefix(const std::string& text, size_t n) {
  size_t i = 0;
  for (size_t points = 0; i < text.size() && points < n; ++points) {
    ++i;
    while (i < text.size() &&
           (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) {
      ++i;
    }
  }
  return text.substr(0, i);
}

// Python's round(x, digits): the correctly rounded decimal, ties to even on
// the exact binary value, which is what glibc's printf computes.
double Round(double x, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", digits, x);
  return std::strtod(buffer, nullptr);
}

std::string KindName(const v1::Reply& reply) {
  const std::string& name = v1::ReplyKind_Name(reply.kind());
  const size_t at = name.rfind("REPLY_KIND_");
  return at == std::string::npos ? name : name.substr(at + 11);
}

std::string LevelName(const v1::Reply& reply) {
  if (reply.triage().level() == v1::TRIAGE_LEVEL_UNSPECIFIED) {
    return "TRIAGE_LEVEL_UNSPECIFIED";
  }
  return std::string(absl::StripPrefix(
      v1::TriageLevel_Name(reply.triage().level()), "TRIAGE_LEVEL_"));
}

std::string LowerBody(const v1::Reply& reply) {
  std::vector<std::string> excerpts;
  for (const v1::Citation& citation : reply.citations()) {
    excerpts.push_back(citation.excerpt());
  }
  return absl::AsciiStrToLower(
      absl::StrCat(reply.text(), " ", absl::StrJoin(excerpts, " ")));
}

Json Ratio(int hits, int count) {
  if (count == 0) return Json();
  return Round(static_cast<double>(hits) / count, 3);
}

absl::Status CheckLevel(const Json& level) {
  if (level.is_string() && Rank(level.get<std::string>()) == 0 &&
      level.get<std::string>() != Levels()[0]) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown expected level ", level.dump()));
  }
  return absl::OkStatus();
}

class ScenarioPlayer {
 public:
  ScenarioPlayer(v1::KneeChat::StubInterface& stub, const EvalOptions& options)
      : stub_(stub), options_(options) {}

  absl::StatusOr<v1::Reply> Send(const std::string& session_id,
                                 const std::string& text,
                                 const std::string& message_id) {
    v1::SendMessageRequest request;
    request.set_session_id(session_id);
    request.set_text(text);
    request.set_message_id(message_id);
    v1::SendMessageResponse response;
    const grpc::Status status = stub_.SendMessage(
        NewContext(options_.timeout).get(), request, &response);
    if (!status.ok()) return ToAbsl(status);
    if (options_.on_reply) options_.on_reply(text, response.reply());
    return response.reply();
  }

  absl::StatusOr<Json> Play(const Json& sc) {
    if (!sc.is_object() || !sc.contains("id")) {
      return absl::InvalidArgumentError("scenario without an id");
    }
    const Json& exp = Get(sc, "expect");
    const Json& level = Get(exp, "level");
    absl::Status level_ok = CheckLevel(level);
    if (!level_ok.ok()) return level_ok;

    Json log = Json::array();
    v1::CreateSessionRequest create;
    create.set_channel("eval");
    v1::CreateSessionResponse created;
    const grpc::Status create_status = stub_.CreateSession(
        NewContext(options_.timeout).get(), create, &created);
    if (!create_status.ok()) return ToAbsl(create_status);
    const std::string sid = created.session_id();
    if (options_.on_reply) options_.on_reply("", created.reply());
    log.push_back({"bot", KindName(created.reply()),
                   Prefix(created.reply().text(), 200)});

    std::vector<std::string> pending;
    for (const Json& turn : Get(sc, "turns")) pending.push_back(Str(turn));
    const bool benign = level.is_string() &&
                        (level == "SELF_CARE" || level == "SOON") &&
                        !Truthy(Get(exp, "red_flag"));
    std::map<std::string, std::string> profile;
    if (benign && !sc.contains("profile")) profile = BenignDefaults();
    const Json& given_profile = Get(sc, "profile");
    if (given_profile.is_object()) {
      for (const auto& [slot, answer] : given_profile.items()) {
        profile[slot] = Str(answer);
      }
    }

    const std::string id = Str(sc["id"]);
    Json asked = Json::array();
    std::vector<std::string> levels;
    std::set<std::string> red_flags;
    std::vector<std::string> excerpts;
    std::optional<v1::Reply> answer;
    std::string last_kind = KindName(created.reply());
    std::string last_asking = created.reply().asking();
    int msg_no = 0;
    int fallback = 0;
    size_t next_turn = 0;
    // The same question, word for word, several times in a row.
    int same_run = 0, longest_run = 0;
    std::string prev_text;
    while (msg_no < kMaxMessages) {
      std::string text;
      if (next_turn < pending.size()) {
        text = pending[next_turn++];
      } else if ((last_kind == "QUESTION" || !last_asking.empty()) &&
                 fallback < kMaxFallbackAnswers) {
        // A referral that also asks the one question that could make it
        // more urgent ("can you take four steps?") is answered too, as the
        // development sets' scoring client does.
        const auto it = profile.find(last_asking);
        text = it == profile.end() ? "I'm not sure" : it->second;
        ++fallback;
      } else {
        break;
      }
      ++msg_no;
      absl::StatusOr<v1::Reply> rep =
          Send(sid, text, absl::StrCat(id, "-", msg_no));
      if (!rep.ok()) return rep.status();
      last_kind = KindName(*rep);
      last_asking = rep->asking();
      same_run = last_kind == "QUESTION" && rep->text() == prev_text
                     ? same_run + 1
                     : 1;
      longest_run = std::max(longest_run, same_run);
      prev_text = rep->text();
      levels.push_back(LevelName(*rep));
      for (const v1::RedFlag& flag : rep->triage().red_flags()) {
        red_flags.insert(flag.id());
      }
      for (const v1::Citation& citation : rep->citations()) {
        excerpts.push_back(citation.excerpt());
      }
      log.push_back({"user", text});
      log.push_back({"bot", last_kind, levels.back(), last_asking,
                     Prefix(rep->text(), 400)});
      if (last_kind == "QUESTION" && !answer.has_value()) {
        asked.push_back(last_asking);
      } else if ((last_kind == "ANSWER" || last_kind == "REFERRAL") &&
                 !answer.has_value()) {
        answer = *rep;
      }
    }

    Json qa = Json::array();
    if (answer.has_value()) {
      for (const Json& q : Get(sc, "questions")) {
        ++msg_no;
        const std::string question = Str(Get(q, "q"));
        absl::StatusOr<v1::Reply> rep =
            Send(sid, question, absl::StrCat(id, "-", msg_no));
        if (!rep.ok()) return rep.status();
        Json docs = Json::array();
        for (const v1::Citation& citation : rep->citations()) {
          docs.push_back(citation.document_id());
          excerpts.push_back(citation.excerpt());
        }
        levels.push_back(LevelName(*rep));
        const std::string body = LowerBody(*rep);
        const Json& docs_any = Get(q, "docs_any");
        const Json& terms_any = Get(q, "terms_any");
        const Json& want_kind = Get(q, "kind");
        bool hit_doc = true;
        if (Truthy(docs_any)) {
          hit_doc = false;
          for (size_t i = 0; i < docs.size() && i < 3; ++i) {
            hit_doc = hit_doc || Contains(docs_any, docs[i]);
          }
        }
        const bool hit_term =
            Truthy(terms_any) ? AnyTermIn(terms_any, body) : true;
        const bool hit_kind =
            Truthy(want_kind) ? KindName(*rep) == Str(want_kind) : true;
        if (Truthy(docs_any) || Truthy(terms_any) || Truthy(want_kind)) {
          qa.push_back({{"q", question},
                        {"kind", KindName(*rep)},
                        {"docs", docs},
                        {"hit", hit_doc && hit_term && hit_kind}});
        }
        log.push_back({"user", question});
        log.push_back(
            {"bot", KindName(*rep), levels.back(), Prefix(rep->text(), 400)});
      }
    }

    int max_level = 0;
    for (const std::string& name : levels)
      max_level = std::max(max_level, Rank(name));
    Json res;
    res["id"] = sc["id"];
    res["max_level"] = Levels()[max_level];
    res["expected_level"] = level;
    res["questions"] = asked.size();
    res["asked"] = asked;
    res["answered"] = answer.has_value();
    res["red_flags"] =
        Json(std::vector<std::string>(red_flags.begin(), red_flags.end()));
    res["qa"] = qa;
    if (Truthy(level)) {
      const int expected = Rank(level.get<std::string>());
      const Json& levels_ok = Get(exp, "levels_ok");
      const Json ok =
          exp.contains("levels_ok") ? levels_ok : Json::array({level});
      res["critical_miss"] = expected >= kUrgent && max_level < kUrgent;
      res["under_triage"] = max_level < expected;
      res["false_alarm"] = expected < kUrgent && max_level >= kUrgent;
      res["exact"] = Contains(ok, Levels()[max_level]);
    }
    Json reasked = Json::array();
    for (const Json& slot : asked) {
      if (Contains(Get(sc, "given"), slot.get<std::string>())) {
        reasked.push_back(slot);
      }
    }
    res["reasked"] = reasked;
    res["looped"] = longest_run >= 3;
    std::set<std::string> twice;
    std::map<std::string, int> times;
    for (const Json& slot : asked) {
      const std::string s = Str(slot);
      if (!s.empty() && ++times[s] > 1) twice.insert(s);
    }
    res["asked_twice"] =
        Json(std::vector<std::string>(twice.begin(), twice.end()));
    if (answer.has_value()) {
      Json answer_docs = Json::array();
      for (const v1::Citation& citation : answer->citations()) {
        answer_docs.push_back(citation.document_id());
      }
      res["answer_kind"] = KindName(*answer);
      res["answer_docs"] = answer_docs;
      res["cited"] = answer->citations_size() > 0;
      if (Truthy(Get(exp, "docs_any"))) {
        bool topic_hit = false;
        for (const Json& doc : answer_docs) {
          topic_hit = topic_hit || Contains(Get(exp, "docs_any"), doc);
        }
        res["topic_hit"] = topic_hit;
      }
      if (Truthy(Get(exp, "terms_any"))) {
        res["terms_hit"] = AnyTermIn(Get(exp, "terms_any"), LowerBody(*answer));
      }
    }
    std::set<std::string> spam;
    for (const std::string& excerpt : excerpts) {
      const std::string lower = absl::AsciiStrToLower(excerpt);
      for (const std::string& junk : Spam()) {
        if (absl::StrContains(lower, junk)) spam.insert(junk);
      }
    }
    res["spam"] = Json(std::vector<std::string>(spam.begin(), spam.end()));
    if (options_.verbose) res["log"] = log;
    return res;
  }

 private:
  v1::KneeChat::StubInterface& stub_;
  const EvalOptions& options_;
};

void DumpLikePythonTo(const Json& value, std::string& out) {
  if (value.is_object()) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value.items()) {
      if (!first) out += ", ";
      first = false;
      out += Json(key).dump(-1, ' ', true);
      out += ": ";
      DumpLikePythonTo(item, out);
    }
    out += '}';
  } else if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const Json& item : value) {
      if (!first) out += ", ";
      first = false;
      DumpLikePythonTo(item, out);
    }
    out += ']';
  } else if (value.is_boolean()) {
    out += value.get<bool>() ? "true" : "false";
  } else {
    out += value.dump(-1, ' ', true);
  }
}

}  // namespace

absl::StatusOr<std::vector<Json>> ReadJsonLines(const std::string& path) {
  std::ifstream file(path);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::vector<Json> objects;
  std::string line;
  int number = 0;
  while (std::getline(file, line)) {
    ++number;
    const absl::string_view stripped = absl::StripAsciiWhitespace(line);
    if (stripped.empty() || absl::StartsWith(stripped, "//")) continue;
    Json object = Json::parse(stripped, nullptr, /*allow_exceptions=*/false);
    if (!object.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": not a JSON object"));
    }
    objects.push_back(std::move(object));
  }
  return objects;
}

absl::StatusOr<Json> PlayScenario(v1::KneeChat::StubInterface& stub,
                                  const Json& scenario,
                                  const EvalOptions& options) {
  return ScenarioPlayer(stub, options).Play(scenario);
}

Json ErrorRow(const Json& scenario, const std::string& error) {
  const Json& level = Get(Get(scenario, "expect"), "level");
  Json row;
  row["id"] = Get(scenario, "id");
  row["error"] = error.substr(0, 300);
  row["qa"] = Json::array();
  row["asked"] = Json::array();
  row["reasked"] = Json::array();
  row["spam"] = Json::array();
  row["questions"] = 0;
  row["max_level"] = Levels()[0];
  row["expected_level"] = level;
  if (Truthy(level)) {
    row["critical_miss"] =
        level.is_string() && Rank(level.get<std::string>()) >= kUrgent;
    row["under_triage"] = true;
    row["false_alarm"] = false;
    row["exact"] = false;
  }
  return row;
}

Json Summarise(const std::vector<Json>& rows) {
  auto flag = [](const Json& row, const char* key) {
    return Truthy(Get(row, key));
  };
  int errors = 0, triaged = 0, urgent = 0, calm = 0, self_care = 0;
  int critical = 0, under = 0, false_alarms = 0, exact = 0, cited = 0;
  int topic_count = 0, topic_hits = 0, terms_count = 0, terms_hits = 0;
  int qa_count = 0, qa_hits = 0, questions = 0, max_questions = 0;
  int reasked = 0, spam = 0, looped = 0, asked_twice = 0, never_answered = 0;
  for (const Json& row : rows) {
    errors += flag(row, "error");
    for (const Json& q : Get(row, "qa")) {
      ++qa_count;
      qa_hits += Truthy(Get(q, "hit"));
    }
    if (row.contains("topic_hit")) {
      ++topic_count;
      topic_hits += flag(row, "topic_hit");
    }
    if (row.contains("terms_hit")) {
      ++terms_count;
      terms_hits += flag(row, "terms_hit");
    }
    reasked += static_cast<int>(Get(row, "reasked").size());
    looped += flag(row, "looped");
    asked_twice += static_cast<int>(Get(row, "asked_twice").size());
    spam += static_cast<int>(Get(row, "spam").size());
    const Json& level = Get(row, "expected_level");
    if (!Truthy(level)) continue;
    ++triaged;
    under += flag(row, "under_triage");
    exact += flag(row, "exact");
    const std::string name = Str(level);
    if (Rank(name) >= kUrgent) {
      ++urgent;
      critical += flag(row, "critical_miss");
    } else {
      ++calm;
      false_alarms += flag(row, "false_alarm");
    }
    if (name == "SELF_CARE") {
      ++self_care;
      never_answered += !flag(row, "answered");
      cited += flag(row, "cited");
      const int asked = Get(row, "questions").get<int>();
      questions += asked;
      max_questions = std::max(max_questions, asked);
    }
  }
  Json summary;
  summary["scenarios"] = rows.size();
  summary["errors"] = errors;
  summary["critical_misses"] = critical;
  summary["urgent_cases"] = urgent;
  summary["under_triaged"] = under;
  summary["false_alarm_rate"] = Ratio(false_alarms, calm);
  summary["exact_level"] = Ratio(exact, triaged);
  summary["self_care_answered_with_citations"] = Ratio(cited, self_care);
  summary["topic_hit"] = Ratio(topic_hits, topic_count);
  summary["terms_hit"] = Ratio(terms_hits, terms_count);
  summary["qa_hit"] = Ratio(qa_hits, qa_count);
  summary["mean_questions"] =
      self_care > 0 ? Json(Round(static_cast<double>(questions) / self_care, 2))
                    : Json();
  summary["max_questions"] = max_questions;
  summary["reasked"] = reasked;
  summary["looped"] = looped;
  summary["asked_twice"] = asked_twice;
  summary["self_care_never_answered"] = never_answered;
  summary["spam_citations"] = spam;
  return summary;
}

absl::StatusOr<SearchEvalResult> RunSearchEval(
    v1::KneeChat::StubInterface& stub, const std::vector<Json>& queries,
    const EvalOptions& options) {
  SearchEvalResult result;
  result.rows = Json::array();
  int hits = 0;
  int spam = 0;
  for (const Json& q : queries) {
    v1::SearchRequest request;
    request.set_query(Str(Get(q, "q")));
    request.set_page_size(3);
    v1::SearchResponse response;
    const grpc::Status status =
        stub.Search(NewContext(options.timeout).get(), request, &response);
    if (!status.ok()) return ToAbsl(status);
    std::vector<std::string> texts;
    Json docs = Json::array();
    for (int i = 0; i < response.passages_size() && i < 3; ++i) {
      texts.push_back(response.passages(i).text());
      docs.push_back(response.passages(i).document_id());
    }
    const std::string body = absl::AsciiStrToLower(absl::StrJoin(texts, " "));
    std::set<std::string> dirty;
    for (const std::string& junk : Spam()) {
      if (absl::StrContains(body, junk)) dirty.insert(junk);
    }
    spam += static_cast<int>(dirty.size());
    bool hit;
    if (Truthy(Get(q, "expect_empty_or_clean"))) {
      hit = dirty.empty();
    } else {
      bool doc_hit = false;
      for (const Json& doc : docs) {
        doc_hit = doc_hit || Contains(Get(q, "docs_any"), doc);
      }
      hit = doc_hit && AnyTermIn(Get(q, "terms_any"), body);
    }
    hits += hit;
    result.rows.push_back(
        {{"q", Get(q, "q")},
         {"hit", hit},
         {"docs", docs},
         {"spam", Json(std::vector<std::string>(dirty.begin(), dirty.end()))}});
  }
  result.summary["queries"] = queries.size();
  result.summary["hit_at_3"] =
      queries.empty()
          ? Json()
          : Json(Round(static_cast<double>(hits) / queries.size(), 3));
  result.summary["spam"] = spam;
  return result;
}

std::string DumpLikePython(const Json& value) {
  std::string out;
  DumpLikePythonTo(value, out);
  return out;
}

}  // namespace kneechat::cli
