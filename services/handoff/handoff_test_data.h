// A small catalog and a hand-built session for the summary and FHIR tests:
// an injury referred URGENT, consent given with a phone number.
#pragma once

#include <string>

#include "google/protobuf/text_format.h"
#include "kneechat/engine/v1/session_state.pb.h"
#include "services/handoff/question_catalog.h"

namespace kneechat::testing {

inline QuestionCatalog TestCatalog() {
  knowledge::v1::DialogueText dialogue;
  google::protobuf::TextFormat::ParseFromString(
      R"pb(
        questions {
          slot: "location"
          text: "Where does it hurt?"
          why: "Where it hurts tells the likely cause."
          quick_replies { id: "l1" title: "Front / kneecap" value: "front" }
          quick_replies { id: "l2" title: "Inside" value: "inside" }
        }
        questions {
          slot: "weight_bearing"
          text: "Can you take four steps?"
          why: "Four steps decides an X-ray."
          quick_replies { id: "w1" title: "Yes" value: "yes" }
          quick_replies { id: "w2" title: "Can't take 4 steps" value: "no" }
        }
        questions {
          slot: "activity"
          text: "What brings it on?"
          why: "Activity points to the cause."
          quick_replies { id: "a1" title: "Running" value: "running" }
        }
        conditions { id: "patellofemoral" name: "runner's knee" }
        screening_why: "Some signs need a doctor quickly."
        deciding_why: "It decides where to send you."
      )pb",
      &dialogue);
  knowledge::v1::RedFlagRules rules;
  google::protobuf::TextFormat::ParseFromString(
      R"pb(
        screening {
          text: "Any of these: {signs}?"
          item {
            id: "hot_or_red"
            phrase: "a hot or red knee"
            finding_ids: [ "hot", "red" ]
            question: "Is the knee hot or red?"
          }
          item {
            id: "fever"
            phrase: "a fever"
            finding_ids: [ "fever" ]
            question: "Do you have a fever?"
          }
          item {
            id: "foot"
            phrase: "a numb foot"
            finding_ids: [ "foot_numb" ]
            question: "Is the foot numb?"
          }
        }
        rule {
          id: "fracture"
          title: "Possible broken bone"
          question {
            id: "steps"
            finding_ids: [ "cant_weight_bear" ]
            slot: "weight_bearing"
            text: "Since the fall, can you take four steps?"
          }
        }
      )pb",
      &rules);
  return QuestionCatalog(dialogue, rules,
                         {{"hot", "knee feels hot"},
                          {"fever", "fever"},
                          {"cant_weight_bear", "cannot bear weight"},
                          {"fall", "fell"}});
}

inline engine::v1::SessionState TestState() {
  engine::v1::SessionState state;
  google::protobuf::TextFormat::ParseFromString(
      R"pb(
        session {
          session_id: "0123456789abcdef0123456789abcdef"
          channel: "web"
          state: "referred"
          create_time { seconds: 1700000000 }
          triage {
            level: TRIAGE_LEVEL_URGENT
            action: "Get seen today at an urgent care centre."
            reason: "Not bearing weight after a fall can mean a broken bone."
            red_flags {
              id: "fracture"
              title: "Possible broken bone"
              evidence: "I fell off the ladder and can't stand on it"
            }
          }
          transcript {
            role: ROLE_ASSISTANT
            text: "Hello"
            create_time { seconds: 1700000000 }
          }
          transcript {
            role: ROLE_USER
            text: "I fell off the ladder and can't stand on it"
            create_time { seconds: 1700000060 }
          }
          transcript {
            role: ROLE_ASSISTANT
            text: "Please get seen today."
            create_time { seconds: 1700000061 }
            reply { kind: REPLY_KIND_REFERRAL }
          }
          findings {
            id: "fall"
            polarity: POLARITY_PRESENT
            evidence: "I fell off the ladder"
          }
          findings {
            id: "cant_weight_bear"
            polarity: POLARITY_PRESENT
            evidence: "can't stand on it"
          }
          findings {
            id: "fever"
            polarity: POLARITY_ABSENT
            evidence: "no fever"
          }
          findings {
            id: "hot"
            polarity: POLARITY_UNSURE
            evidence: "maybe a bit warm"
          }
          dropped_turns: 2
        }
        slots {
          key: "location"
          value { value: "inside" evidence: "on the inside" }
        }
        slots {
          key: "weight_bearing"
          value { value: "no" evidence: "can't stand on it" }
        }
        slots {
          key: "duration"
          value { value: "2" evidence: "since the day before yesterday" }
        }
        slots {
          key: "activity"
          value { value: "running,stairs" evidence: "running and stairs" }
        }
        findings {
          key: "fall"
          value {
            id: "fall"
            polarity: POLARITY_PRESENT
            temporality: "current"
            experiencer: "self"
          }
        }
        findings {
          key: "cant_weight_bear"
          value {
            id: "cant_weight_bear"
            polarity: POLARITY_PRESENT
            temporality: "current"
            experiencer: "self"
          }
        }
        findings {
          key: "fever"
          value {
            id: "fever"
            polarity: POLARITY_ABSENT
            temporality: "current"
            experiencer: "self"
          }
        }
        findings {
          key: "hot"
          value {
            id: "hot"
            polarity: POLARITY_UNSURE
            temporality: "current"
            experiencer: "self"
          }
        }
        asked: "location"
        asked: "deciding:fracture:steps"
        asked: "weight_bearing"
        asked: "red_flags"
        max_level: TRIAGE_LEVEL_URGENT
        handoff_consent: HANDOFF_CONSENT_GRANTED
        handoff_consent_time: 1700000120
        handoff_contact: "07700 900123"
      )pb",
      &state);
  return state;
}

}  // namespace kneechat::testing
