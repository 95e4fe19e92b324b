#include "services/text/measures.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "services/text/number_words.h"

namespace kneechat::text_internal {
namespace {

constexpr double kMinute = 1.0 / 1440;
constexpr double kHour = 1.0 / 24;

struct Unit {
  double days;
  bool glued_only;  // single letters: only straight after a number ("3d")
};

const absl::flat_hash_map<std::string_view, Unit>& DurationUnits() {
  static const auto* units = new absl::flat_hash_map<std::string_view, Unit>{
      {"minute", {kMinute, false}},
      {"minutes", {kMinute, false}},
      {"min", {kMinute, false}},
      {"mins", {kMinute, false}},
      {"hour", {kHour, false}},
      {"hours", {kHour, false}},
      {"hr", {kHour, false}},
      {"hrs", {kHour, false}},
      {"h", {kHour, true}},
      {"day", {1, false}},
      {"days", {1, false}},
      {"dys", {1, false}},
      {"d", {1, true}},
      {"week", {7, false}},
      {"weeks", {7, false}},
      {"wk", {7, false}},
      {"wks", {7, false}},
      {"w", {7, true}},
      {"fortnight", {14, false}},
      {"fortnights", {14, false}},
      {"month", {30, false}},
      {"months", {30, false}},
      {"mo", {30, true}},
      {"mos", {30, false}},
      {"mth", {30, false}},
      {"mths", {30, false}},
      {"mnth", {30, false}},
      {"mnths", {30, false}},
      {"year", {365, false}},
      {"years", {365, false}},
      {"yr", {365, false}},
      {"yrs", {365, false}},
  };
  return *units;
}

// Words that may sit between an anchor ("for") and the quantity.
const absl::flat_hash_set<std::string_view>& QuantityModifiers() {
  static const auto* words = new absl::flat_hash_set<std::string_view>{
      "about",    "around", "roughly", "approx", "approximately",
      "nearly",   "almost", "over",    "under",  "like",
      "maybe",    "just",   "only",    "least",  "at",
      "more",     "less",   "than",    "~",      "the",
      "a",        "good",   "bout",    "abt",    "prob",
      "probably", "well",   "getting", "on"};
  return *words;
}

// What may follow "I'm 5" when it is not an age.
const absl::flat_hash_set<std::string_view>& NotAgeFollowers() {
  static const auto* words = new absl::flat_hash_set<std::string_view>{
      "%",       "percent", "kg",     "kgs",   "kilos",  "lb",    "lbs",
      "pounds",  "stone",   "st",     "ft",    "foot",   "feet",  "cm",
      "km",      "k",       "miles",  "mile",  "times",  "x",     "th",
      "out",     "/",       "'",      "\"",    "of",     "weeks", "week",
      "days",    "day",     "months", "month", "hours",  "hour",  "mins",
      "minutes", "wks",     "am",     "pm",    "oclock", "min",   "hr",
      "hrs",     "minute",  "mths",   "reps",  "sets",   "steps", "m"};
  return *words;
}

// What may follow "under 10" when it names an age band of a team.
const absl::flat_hash_set<std::string_view>& AgeBandWords() {
  static const auto* words = new absl::flat_hash_set<std::string_view>{
      "team",    "squad",  "side",    "player",   "players",  "league",
      "match",   "game",   "games",   "training", "football", "rugby",
      "netball", "hockey", "cricket", "club",     "age",      "group"};
  return *words;
}

// People whose age may follow: "my dad is 78", "dad's 78", "my son (7)".
const absl::flat_hash_set<std::string_view>& PersonWords() {
  static const auto* words = new absl::flat_hash_set<std::string_view>{
      "he",       "she",      "son",           "daughter",    "kid",
      "child",    "boy",      "girl",          "baby",        "toddler",
      "teen",     "teenager", "husband",       "hubby",       "wife",
      "partner",  "mum",      "mom",           "mam",         "mother",
      "dad",      "father",   "nan",           "nana",        "nanna",
      "gran",     "granny",   "grandma",       "grandmother", "grandad",
      "granddad", "grandpa",  "grandfather",   "brother",     "sister",
      "friend",   "mate",     "neighbour",     "neighbor",    "patient",
      "lad",      "stepson",  "stepdaughter",  "uncle",       "aunt",
      "auntie",   "grandson", "granddaughter", "girls",       "boys",
      "lads",     "kids",     "lass",          "lassie",      "player",
      "players",  "pupil",    "pupils",        "student",     "students",
      "niece",    "nephew",   "cousin",        "goalkeeper",  "keeper",
      "goalie",   "twin",     "twins",         "grandchild",  "grandkid",
      "stepmum",  "stepdad",  "youngster",     "youngest",    "eldest",
      "oldest"};
  return *words;
}

const absl::flat_hash_set<std::string_view>& TemperatureWords() {
  static const auto* words = new absl::flat_hash_set<std::string_view>{
      "temp",    "temperature", "temps",      "temperatures", "fever",
      "pyrexia", "thermometer", "temperatre", "tempreture",   "temprature"};
  return *words;
}

// Words for a body running hot, before a temperature told as a little over
// a number ("he was burning up, 38 and a bit").
const absl::flat_hash_set<std::string_view>& FeverishWords() {
  static const auto* words = new absl::flat_hash_set<std::string_view>{
      "hot",       "burning", "boiling",  "roasting", "feverish", "shivery",
      "shivering", "shaking", "sweating", "sweaty",   "flushed",  "clammy"};
  return *words;
}

// Words that make a temperature the air's, a room's or the water's, not the
// body's: "a 40 degree room", "28 degree heat", "the sauna was 80".
const absl::flat_hash_set<std::string_view>& AmbientWords() {
  static const auto* words = new absl::flat_hash_set<std::string_view>{
      "room",     "rooms",  "heat",     "heatwave", "weather",  "outside",
      "outdoors", "day",    "days",     "sun",      "sunshine", "studio",
      "sauna",    "pool",   "water",    "bath",     "shower",   "oven",
      "car",      "office", "class",    "gym",      "tub",      "climate",
      "summer",   "air",    "humidity", "shade"};
  return *words;
}

// Words that make "degrees" an angle: "I can only bend to about 100
// degrees", "flexion 110 degrees".
const absl::flat_hash_set<std::string_view>& AngleWords() {
  static const auto* words = new absl::flat_hash_set<std::string_view>{
      "bend",     "bends",     "bent",    "bending", "flex",
      "flexes",   "flexion",   "flexing", "flexed",  "straighten",
      "straight", "extension", "extend",  "angle",   "angled",
      "range",    "rom",       "motion",  "movement"};
  return *words;
}

double ToCelsius(double value, char scale) {
  if (scale == 'f') return (value - 32) * 5 / 9;
  return value;
}

class MeasureFinder {
 public:
  explicit MeasureFinder(const std::vector<Token>& tokens)
      : tokens_(tokens), used_(tokens.size(), false) {
    norms_.reserve(tokens.size());
    for (const Token& token : tokens) norms_.push_back(Spelled(token.norm));
  }

  std::vector<Measure> Run() {
    for (size_t i = 0; i < tokens_.size(); ++i) TryTemperature(i);
    for (size_t i = 0; i < tokens_.size(); ++i) TryAge(i);
    for (size_t i = 0; i < tokens_.size(); ++i) {
      if (!TryQuantityDuration(i) && !TryPointInTime(i)) TryVagueDuration(i);
    }
    std::sort(found_.begin(), found_.end(),
              [](const Measure& a, const Measure& b) {
                return a.first_token < b.first_token;
              });
    return std::move(found_);
  }

 private:
  // The token's normalised text, with texting forms of the time words
  // this parser reads spelled out ("yday", "lst nite"); "" outside the text.
  std::string_view Norm(long i) const {
    if (i < 0 || i >= static_cast<long>(norms_.size())) return {};
    return norms_[i];
  }
  // `w` with a texting form of a time word spelled out.
  static std::string_view Spelled(std::string_view w) {
    static const auto* aliases =
        new absl::flat_hash_map<std::string_view, std::string_view>{
            {"yday", "yesterday"},   {"yest", "yesterday"},
            {"ystday", "yesterday"}, {"yesterdy", "yesterday"},
            {"nite", "night"},       {"nyt", "night"},
            {"lst", "last"},         {"tonite", "tonight"},
            {"2nite", "tonight"},    {"2day", "today"},
            {"wk", "week"},          {"wks", "weeks"},
            {"mnth", "month"},       {"mnths", "months"},
            {"yr", "year"},          {"yrs", "years"}};
    auto it = aliases->find(w);
    return it == aliases->end() ? w : it->second;
  }
  bool IsNumber(long i) const {
    return i >= 0 && i < static_cast<long>(tokens_.size()) &&
           tokens_[i].kind == TokenKind::kNumber;
  }
  bool Free(long from, long to) const {
    for (long i = from; i <= to; ++i) {
      if (i < 0 || i >= static_cast<long>(tokens_.size()) || used_[i]) {
        return false;
      }
    }
    return true;
  }
  // Index after a glued hyphen at i, or i.
  long SkipHyphen(long i) const { return Norm(i) == "-" ? i + 1 : i; }
  // Whether token i ends its clause: the last token, or one followed by
  // punctuation or a clause or sentence boundary.
  bool ClauseEnd(long i) const {
    if (i + 1 >= static_cast<long>(tokens_.size())) return true;
    return tokens_[i].boundary != Boundary::kNone ||
           tokens_[i + 1].kind == TokenKind::kPunctuation;
  }
  bool SentenceStart(long i) const {
    if (i == 0) return true;
    const Token& prev = tokens_[i - 1];
    return prev.boundary != Boundary::kNone ||
           prev.kind == TokenKind::kPunctuation;
  }

  void Add(MeasureKind kind, double value, DurationAnchor anchor, long first,
           long last) {
    for (long i = first; i <= last; ++i) used_[i] = true;
    Measure m;
    m.kind = kind;
    m.value = value;
    m.low = value;
    m.anchor = anchor;
    m.first_token = first;
    m.last_token = last;
    found_.push_back(m);
  }

  void TryTemperature(long i) {
    if (!IsNumber(i) || used_[i]) return;
    const Token& number = tokens_[i];
    const bool digits =
        !number.norm.empty() && number.norm[0] >= '0' && number.norm[0] <= '9';
    const bool decimal = number.norm.find('.') != std::string::npos;
    long j = i + 1;
    char scale = 0;  // 'c', 'f', or 'd' for degrees of unknown scale
    if (Norm(j) == "°" || Norm(j) == "degrees" || Norm(j) == "degree" ||
        Norm(j) == "deg") {
      scale = 'd';
      ++j;
    }
    const std::string_view unit = Norm(j);
    if (unit == "c" || unit == "celsius" || unit == "centigrade" ||
        unit == "°c") {
      scale = 'c';
      ++j;
    } else if (unit == "f" || unit == "fahrenheit" || unit == "°f") {
      scale = 'f';
      ++j;
    }
    // "38 point something", "38 and a bit" ending the clause, after a word
    // for a body running hot ("he was burning up last night, 38 and a
    // bit"): a little over the number, read like a decimal. Not after
    // "I'm" or "aged" (the writer's age); "BMI 40 and a bit", "she's 38 and
    // a bit", "39 point something weeks" name no heat.
    bool just_over = false;
    const std::string_view before = Norm(i - 1);
    const bool own_age =
        before == "im" || before == "am" || before == "aged" || before == "age";
    if (scale == 0 && digits && !decimal && !own_age) {
      long end = j;
      if (Norm(j) == "point" &&
          (Norm(j + 1) == "something" || Norm(j + 1) == "summat")) {
        end = j + 2;
      } else if (Norm(j) == "and" && Norm(j + 1) == "a" &&
                 Norm(j + 2) == "bit") {
        end = j + 3;
      }
      const bool ends_clause = end > j && ClauseEnd(end - 1);
      bool heat = false;
      for (long k = i - 1; ends_clause && k >= 0 && k >= i - 10; --k) {
        if (tokens_[k].boundary == Boundary::kSentence) break;
        if (FeverishWords().contains(Norm(k))) heat = true;
      }
      if (ends_clause && heat) {
        just_over = true;
        j = end;
      }
    }
    // A decimal in the body's range is a temperature whatever precedes it
    // ("won't bend his leg, 39.5 degrees").
    const bool value_in_fever_range =
        number.number >= 35 && number.number <= 42.5;
    bool context = false;
    for (long k = i - 1; k >= 0 && k >= i - 4; --k) {
      if (tokens_[k].boundary == Boundary::kSentence) break;
      if (AmbientWords().contains(Norm(k))) return;
      if (scale != 'c' && scale != 'f' && AngleWords().contains(Norm(k)) &&
          GovernsNumber(k, i) && !(decimal && value_in_fever_range)) {
        return;
      }
      if (TemperatureWords().contains(Norm(k))) {
        context = true;
        break;
      }
    }
    if (AmbientWords().contains(Norm(j))) return;
    const double value = number.number;
    double celsius = 0;
    if (scale == 'c' || scale == 'f') {
      celsius = ToCelsius(value, scale);
    } else if (context || (scale == 'd' && ((value >= 35 && value <= 42.5) ||
                                            (value >= 95 && value <= 108)))) {
      // Bare "degrees" is a temperature only in a body-temperature range;
      // "stuck at 45 degrees" is an angle.
      celsius = ToCelsius(value, value <= 45 ? 'c' : 'f');
    } else if (digits && (decimal || just_over) && value >= 35 &&
               value <= 42.5 && !DurationUnits().contains(Norm(i + 1)) &&
               !NotAgeFollowers().contains(Norm(i + 1))) {
      celsius = value;
    } else {
      return;
    }
    if (just_over) celsius += 0.1;
    if (celsius < 30 || celsius > 45) return;
    Add(MeasureKind::kTemperature, celsius, DurationAnchor::kNone, i, j - 1);
  }

  // Whether the angle word at `word` governs the number at `number`: only
  // small linking words between ("bend to about 100", "flexion 110"), not a
  // comma or a person ("can't bend it and I'm 39 degrees").
  bool GovernsNumber(long word, long number) const {
    static const auto* const kLinks = new absl::flat_hash_set<std::string_view>{
        "to",     "at",     "of",   "about", "around", "only",
        "past",   "beyond", "just", "over",  "under",  "roughly",
        "approx", "maybe",  "it",   "is",    "was",    "almost",
        "nearly", "barely", "upto", "by"};
    for (long k = word + 1; k < number; ++k) {
      if (!kLinks->contains(Norm(k))) return false;
    }
    return true;
  }

  bool IsWholeAge(long i) const {
    if (!IsNumber(i) || used_[i]) return false;
    const double v = tokens_[i].number;
    return v >= 1 && v <= 120 && std::floor(v) == v;
  }

  void TryAge(long i) {
    if (IsDecade(i)) return;
    if (!IsWholeAge(i)) return;
    const double value = tokens_[i].number;
    // "67 yo", "67 years old", "67-year-old", "67 yrs of age"
    long j = SkipHyphen(i + 1);
    const std::string_view unit = Norm(j);
    if (unit == "yo" || unit == "y/o" || unit == "yoa") {
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, j);
      return;
    }
    if (unit == "years" || unit == "year" || unit == "yrs" || unit == "yr" ||
        unit == "y") {
      long k = SkipHyphen(j + 1);
      if (Norm(k) == "old" || Norm(k) == "olds") {  // "our 4-year-olds"
        Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, k);
        return;
      }
      if (Norm(k) == "of" && Norm(k + 1) == "age") {
        Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, k + 1);
        return;
      }
      // "my daughter 7 years has pain" (second-language English)
      if (PersonWords().contains(Norm(i - 1)) && Norm(k) != "ago") {
        Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, j);
        return;
      }
      // "My daughter Hodan is 4 years." "my son Kacper, 13 years, has
      // pain" "I am 70 years." (second-language English): a person, at most
      // a name between, "is", "am" or a comma, the years, and the clause
      // ends there.
      const bool person_before = ((Norm(i - 1) == "is" || Norm(i - 1) == ",") &&
                                  (PersonWords().contains(Norm(i - 2)) ||
                                   PersonWords().contains(Norm(i - 3)))) ||
                                 (Norm(i - 1) == "am" && Norm(i - 2) == "i");
      if (person_before && ClauseEnd(j)) {
        Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, j);
        return;
      }
    }
    // "an under-10s team", "plays for the under 12s": an age band, read as
    // its oldest year (an under-10 is at most 9).
    if (Norm(i - 1) == "under" ||
        (Norm(i - 1) == "-" && Norm(i - 2) == "under")) {
      const long band = Norm(i + 1) == "s" || Norm(i + 1) == "'s" ? i + 1 : i;
      if (band > i || AgeBandWords().contains(Norm(i + 1))) {
        const long first = Norm(i - 1) == "-" ? i - 2 : i - 1;
        Add(MeasureKind::kAge, value - 1, DurationAnchor::kNone, first, band);
        return;
      }
    }
    // "my son 5" as a whole message or clause (the age told in fragments)
    if (PersonWords().contains(Norm(i - 1)) && ClauseEnd(i) && value <= 110) {
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, i);
      return;
    }
    // "15M, knee been aching", "34f here": an age with a sex letter, told
    // as a clause of its own (not "ran 15m").
    const std::string_view sex = Norm(i + 1);
    if ((sex == "m" || sex == "f" || sex == "male" || sex == "female") &&
        (i == 0 || Norm(i - 1) == "(") &&
        (ClauseEnd(i + 1) || Norm(i + 2) == "here") && value >= 5 &&
        Norm(i + 3) != "and" && Norm(i + 3) != "then") {
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, i + 1);
      return;
    }
    // "knee ache, 14, do a lot of football": a bare number between commas,
    // a clause of its own, is the age.
    // Not a score or a count ("pain, 9,", "squats, 12, reps"), and early in
    // the message, where people introduce themselves.
    static const auto* const kScoreWords =
        new absl::flat_hash_set<std::string_view>{
            "pain",  "score",    "level",     "rating", "rated",   "reps",
            "sets",  "about",    "around",    "approx", "roughly", "maybe",
            "scale", "severity", "intensity", "like",   "is",      "was"};
    if (Norm(i - 1) == "," && Norm(i + 1) == "," && value >= 5 && value <= 99 &&
        !IsNumber(i + 2) && !IsNumber(i - 2) &&
        !kScoreWords->contains(Norm(i - 2)) &&
        !kScoreWords->contains(Norm(i + 2)) && Norm(i + 2) != "out" && i < 8) {
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, i);
      return;
    }
    // "Fell again today. 74. Walking on it": an adult's age told as a
    // sentence of its own, after a statement (not the answer to a question
    // in the text, "Pain out of 100? 70.", nor a count: "took 2.", "reps:
    // 12.", nor a temperature in Fahrenheit: "101.").
    const auto full_stop = [this](long k, bool question_ends) {
      const std::string_view p = Norm(k);
      return k < 0 || k >= static_cast<long>(tokens_.size()) || p == "." ||
             p == "!" || (question_ends && p == "?");
    };
    if (i > 0 && full_stop(i - 1, false) && full_stop(i + 1, true) &&
        value >= 40 && value <= 99) {
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, i);
      return;
    }
    // "I have 58 years" (Spanish, French, Italian: tener / avoir N años)
    if (Norm(i - 1) == "have" && Norm(i - 2) == "i" &&
        (unit == "years" || unit == "year") && value >= 10 &&
        (ClauseEnd(j) || Norm(j + 1) == "old" || Norm(j + 1) == "and")) {
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i - 2, j);
      return;
    }
    // "I'm 67", "aged 67", "age: 67", "just turned 67"
    long before = i - 1;
    if (Norm(before) == ":" || Norm(before) == "=") --before;
    const std::string_view b = Norm(before);
    const std::string_view who = Norm(before - 1);
    // "dad's 78" arrives as "dads 78".
    const bool possessive_is =
        b.size() > 1 && b.back() == 's' &&
        PersonWords().contains(b.substr(0, b.size() - 1));
    const bool intro =
        b == "im" || b == "iam" || b == "aged" || b == "age" || b == "turned" ||
        b == "turning" || b == "hes" || b == "shes" || possessive_is ||
        (b == "am" && who == "i") ||
        (b == "is" && PersonWords().contains(who)) ||
        // "my mum who is 84"
        (b == "is" && who == "who" && PersonWords().contains(Norm(before - 2)));
    // "my son (7)", "my grandad, 81, tripped"
    const std::string_view after = Norm(i + 1);
    if (((b == "(" && after == ")") ||
         (b == "," && (after == "," || after == ")"))) &&
        PersonWords().contains(who)) {
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, i);
      return;
    }
    if (intro) {
      const std::string_view next = Norm(i + 1);
      const bool year_unit =
          next == "years" || next == "yrs" || next == "year" || next == "yr";
      if (!year_unit && NotAgeFollowers().contains(next)) return;
      if (!year_unit && DurationUnits().contains(next)) return;
      long last = year_unit ? i + 1 : i;
      if (year_unit && Norm(i + 2) == "old") last = i + 2;
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, last);
      return;
    }
    // "62 here" opening a sentence
    if (Norm(i + 1) == "here" && SentenceStart(i) && value >= 10 &&
        value <= 110) {
      Add(MeasureKind::kAge, value, DurationAnchor::kNone, i, i + 1);
    }
  }

  // "in my 40s", "in her early forties", "late 60s"
  bool IsDecade(long i) {
    if (used_[i]) return false;
    double decade = 0;
    long last = i;
    if (IsNumber(i) && Norm(i + 1) == "s" && !tokens_[i + 1].space_before) {
      const double v = tokens_[i].number;
      if (v < 10 || v > 90 || std::fmod(v, 10) != 0) return false;
      decade = v;
      last = i + 1;
    } else if (tokens_[i].kind == TokenKind::kWord) {
      auto value = DecadeWordValue(tokens_[i].norm);
      if (!value) return false;
      decade = *value;
    } else {
      return false;
    }
    long k = i - 1;
    double offset = 5;
    bool qualified = true;  // "early", "mid" or "late" before the decade
    if (Norm(k) == "early") {
      offset = 2;
    } else if (Norm(k) == "late") {
      offset = 8;
    } else if (Norm(k) != "mid") {
      qualified = false;
    }
    if (qualified) --k;
    const std::string_view owner = Norm(k);
    const bool owned = (owner == "my" || owner == "his" || owner == "her" ||
                        owner == "their" || owner == "our") &&
                       Norm(k - 1) == "in";
    // "in my 40s" and "mid 40s" are ages; a bare "40s" is not.
    if (!owned && !qualified) return false;
    if (decade == 10) offset = 8;  // "in my teens": 13-19
    const long first = owned ? k - 1 : k + 1;
    Add(MeasureKind::kAge, decade + offset, DurationAnchor::kNone, first, last);
    return true;
  }

  // A count at i ("3", "a", "a couple of", "half a"), with the index of the
  // token after it; a range ("6-8") counts its upper end, and `low`, when
  // given, gets its lower end (the count itself when not a range).
  std::optional<std::pair<double, long>> Quantity(long i,
                                                  double* low = nullptr) const {
    if (used_[i]) return std::nullopt;
    const std::string_view w = Norm(i);
    // A count in words has no range: its lower end is itself.
    const auto count = [low](double v, long next) {
      if (low != nullptr) *low = v;
      return std::make_pair(v, next);
    };
    if (IsNumber(i)) {
      double v = tokens_[i].number;
      if (low != nullptr) *low = v;
      long k = i + 1;
      if ((Norm(k) == "-" || Norm(k) == "to" || Norm(k) == "or") &&
          IsNumber(k + 1)) {
        if (low != nullptr) *low = std::min(v, tokens_[k + 1].number);
        v = std::max(v, tokens_[k + 1].number);
        k += 2;
      }
      if (Norm(k) == "and" && Norm(k + 1) == "a" && Norm(k + 2) == "half") {
        v += 0.5;
        k += 3;
      }
      return std::make_pair(v, k);
    }
    if (w == "a" || w == "an") {
      const std::string_view n = Norm(i + 1);
      if (n == "couple") {
        return count(2.0, Norm(i + 2) == "of" ? i + 3 : i + 2);
      }
      if (n == "few") return count(3.0, i + 2);
      if (n == "dozen") return count(12.0, i + 2);
      if (n == "half") return count(0.5, i + 2);
      return count(1.0, i + 1);
    }
    if (w == "couple") {
      return count(2.0, Norm(i + 1) == "of" ? i + 2 : i + 1);
    }
    if (w == "few" || w == "several") return count(3.0, i + 1);
    if (w == "half" && (Norm(i + 1) == "a" || Norm(i + 1) == "an")) {
      return count(0.5, i + 2);
    }
    return std::nullopt;
  }

  const Unit* UnitAt(long k) const {
    if (k < 0 || k >= static_cast<long>(tokens_.size()) || used_[k]) {
      return nullptr;
    }
    auto it = DurationUnits().find(tokens_[k].norm);
    if (it == DurationUnits().end()) return nullptr;
    if (it->second.glued_only && tokens_[k].space_before) return nullptr;
    return &it->second;
  }

  // Looks left of a quantity, within its clause, for "for", "past", "last",
  // "been", "since" ("for about 3 weeks", "been like this a month").
  bool HasForAnchor(long i) const {
    for (long k = i - 1; k >= 0 && k >= i - 5; --k) {
      if (tokens_[k].kind == TokenKind::kPunctuation ||
          tokens_[k].boundary != Boundary::kNone) {
        return false;
      }
      const std::string_view w = Norm(k);
      if (w == "for" || w == "past" || w == "last" || w == "been" ||
          w == "since" || w == "lasted" || w == "during") {
        return true;
      }
    }
    return false;
  }

  bool TryQuantityDuration(long i) {
    double low_count = 0;
    auto quantity = Quantity(i, &low_count);
    if (!quantity) return false;
    auto [count, k] = *quantity;
    const Unit* unit = UnitAt(k);
    if (unit == nullptr) return false;
    // "5 days a week" is a frequency, not a duration.
    const std::string_view after_unit = Norm(k + 1);
    if ((after_unit == "a" || after_unit == "per" || after_unit == "each" ||
         after_unit == "every") &&
        UnitAt(k + 2) != nullptr) {
      for (long t = i; t <= k + 2; ++t) used_[t] = true;
      return false;
    }
    double days = count * unit->days;
    // A range ("6-8 days", "a week or two") counts its upper end; its lower
    // end is kept too (Measure::low).
    double low_days = low_count * unit->days;
    long last = k;
    if (Norm(k + 1) == "and" && Norm(k + 2) == "a" && Norm(k + 3) == "half") {
      days += 0.5 * unit->days;
      low_days = days;
      last = k + 3;
    } else if (Norm(k + 1) == "or" && IsNumber(k + 2)) {
      days = std::max(count, tokens_[k + 2].number) * unit->days;
      low_days = std::min(count, tokens_[k + 2].number) * unit->days;
      last = k + 2;
    }
    if (!Free(i, last)) return false;
    DurationAnchor anchor = DurationAnchor::kBare;
    const std::string_view next = Norm(last + 1);
    if (next == "ago" || next == "back") {
      anchor = DurationAnchor::kAgo;
      ++last;
    } else if (next == "now" || HasForAnchor(i)) {
      anchor = DurationAnchor::kFor;
    }
    // "couldn't walk for the first couple of days", "the first 2 weeks":
    // a stretch after the start, not how long it has been.
    if (Norm(i - 1) == "first") anchor = DurationAnchor::kWithin;
    // "a race in five weeks", "the op is in 2 weeks": a time to come, not
    // how long it has hurt.
    if (anchor == DurationAnchor::kBare &&
        (Norm(i - 1) == "in" || Norm(i - 1) == "within") && unit->days >= 1) {
      for (long t = i; t <= last; ++t) used_[t] = true;
      return false;
    }
    Add(MeasureKind::kDuration, days, anchor, i, last);
    found_.back().low = low_days;
    return true;
  }

  // "yesterday", "last week", "this morning", "the other day".
  bool TryPointInTime(long i) {
    if (used_[i] || tokens_[i].kind != TokenKind::kWord) return false;
    const std::string_view w = Norm(i);
    double days = -1;
    long first = i;
    long last = i;
    if (w == "yesterday") {
      days = 1;
      if (Norm(i - 1) == "before" && Norm(i - 2) == "day" &&
          Norm(i - 3) == "the" && Free(i - 3, i - 1)) {
        days = 2;
        first = i - 3;
      }
    } else if (w == "today" || w == "tonight") {
      days = 0;
    } else if (w == "this") {
      const std::string_view n = Norm(i + 1);
      if (n == "morning" || n == "afternoon" || n == "evening") {
        days = 0;
        last = i + 1;
      }
    } else if (w == "last" || w == "past") {
      const std::string_view n = Norm(i + 1);
      if (n == "night" && w == "last") days = 1;
      if (n == "week") days = 7;
      if (n == "weekend") days = 3;
      if (n == "fortnight") days = 14;
      if (n == "month") days = 30;
      if (n == "year") days = 365;
      last = i + 1;
    } else if (w == "other" && Norm(i - 1) == "the" && Norm(i + 1) == "day") {
      days = 3;
      first = i - 1;
      last = i + 1;
    } else if (w == "weekend" && Norm(i - 1) == "the" &&
               (Norm(i - 2) == "at" || Norm(i - 2) == "over" ||
                Norm(i - 2) == "since")) {
      days = 3;
      first = i - 1;
    }
    if (days < 0 || !Free(first, last)) return false;
    DurationAnchor anchor =
        w == "past" ? DurationAnchor::kFor : DurationAnchor::kAgo;
    const std::string_view before = Norm(first - 1);
    if (before == "since" || before == "from" ||
        (before == "the" && w == "last" &&
         (Norm(first - 2) == "for" || Norm(first - 2) == "over" ||
          Norm(first - 2) == "in" || Norm(first - 2) == "during"))) {
      anchor = before == "the" ? DurationAnchor::kFor : DurationAnchor::kSince;
    }
    if (before == "weekend" || Norm(first - 2) == "since") {
      anchor = DurationAnchor::kSince;
    }
    Add(MeasureKind::kDuration, days, anchor, first, last);
    return true;
  }

  // "for ages", "a long time", "a while", "for months", "forever".
  bool TryVagueDuration(long i) {
    if (used_[i] || tokens_[i].kind != TokenKind::kWord) return false;
    const std::string_view w = Norm(i);
    // A bare "ages" or "months" is kept too: answering "how long?" it is the
    // duration; elsewhere the understanding layer ignores vague durations.
    const std::string_view before = Norm(i - 1);
    const std::string_view after = Norm(i + 1);
    double days = -1;
    long first = i;
    long last = i;
    if (w == "ages") {
      days = 180;
    } else if (w == "long" && after == "time") {
      days = 180;
      last = i + 1;
      if (before == "a") first = i - 1;
    } else if (w == "while" && before == "a" &&
               (Norm(i - 2) == "for" || Norm(i - 2) == "been" ||
                after == "now" || after == "ago")) {
      days = 30;
      first = i - 1;
    } else if (w == "forever") {
      days = 365;
    } else if (w == "months" || w == "mths") {
      days = 60;
    } else if (w == "years" || w == "yrs") {
      days = 730;
    } else if (w == "weeks" || w == "wks") {
      days = 14;
    } else if (w == "days") {
      days = 3;
    }
    if (days < 0 || !Free(first, last)) return false;
    DurationAnchor anchor = DurationAnchor::kVague;
    if (Norm(last + 1) == "ago") {
      anchor = DurationAnchor::kAgo;
      ++last;
    }
    Add(MeasureKind::kDuration, days, anchor, first, last);
    return true;
  }

  const std::vector<Token>& tokens_;
  std::vector<std::string_view> norms_;  // Norm() of each token
  std::vector<bool> used_;
  std::vector<Measure> found_;
};

}  // namespace

std::vector<Measure> FindMeasures(const std::vector<Token>& tokens) {
  return MeasureFinder(tokens).Run();
}

}  // namespace kneechat::text_internal
