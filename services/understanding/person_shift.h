// Person shift: rewrites a sentence about someone else in the first person,
// so the crisis frames written for "I" also read a worried relative's
// account ("my son says he wants to kill himself" -> "i say i want to kill
// myself"). Works word by word on canonical text (lower case, apostrophes
// removed, words separated by spaces): he/she/they and a close person
// ("my daughter") become "i", him/them "me", his/their "my", her "my" or
// "me", himself/herself "myself", and the verb after a new "i" loses its
// third-person ending ("wants" -> "want", "has" -> "have", "is" -> "am").
// It does not parse: a sentence with no other person comes back unchanged.
//
// Thread-safety: pure function.
#pragma once

#include <string>
#include <string_view>

namespace kneechat::understanding_internal {

// `sentence` in the first person; equal to `sentence` when nothing in it
// names another person.
std::string ShiftToFirstPerson(std::string_view sentence);

}  // namespace kneechat::understanding_internal
