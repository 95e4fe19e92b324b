#!/usr/bin/env python3
"""Writing-style variants of the triage seed stories.

What it does
    Reads tests/triage/seeds.jsonl. Each seed is one plainly written knee
    story with its expected triage level. For every seed the script writes
    the same story in other ways people write. The red flag (or, for a
    harmless look-alike, the absence of one) stays in the text, so every
    variant keeps the seed's expected level and levels_ok.

      shorthand     texting style: u, n, r, cos, nt, dnt, nvr, w/, w/o, 2nite;
                    all lower case, no punctuation
      misspell      realistic typos from a small table (swolen, kne, numm,
                    tingleing, temprature, warferin ...)
      understate    a bravado or understatement wrapper ("prob nothing but",
                    "not one to fuss, however", "she'll be right, just" ...)
      phone         phone-transcript style: lower case, "yeah so", "erm",
                    "like", no full stops
      other_person  told about a relative ("my husband ...") with simple
                    pronoun and verb swaps; skipped when the story is already
                    about someone else or a swap would be ungrammatical
      clause_order  the sentences of each turn in reverse order; skipped when
                    no turn has two sentences
      split_duration  red-flag seeds only: turn 1 is a bland complaint, turn 2
                    is "about two weeks. " + the red-flag sentence, i.e. the
                    red flag arrives inside an answer about duration
      negated_list  look-alikes: "no fever, no redness, not hot, walked fine, "
                    before the first turn (negations only).
                    Red-flag seeds: a bland turn, then "my temperature's
                    normal and there's nothing else wrong, except that " +
                    the red-flag sentence (when the red flag itself is fever
                    or shivering, the list opens "didn't fall or bang it"
                    instead, so it never denies the red flag)

    The bland complaints and red-flag sentences for split_duration and
    negated_list are in SPLITS below, keyed by seed id; a seed without an
    entry gets neither.

    Randomness is seeded per seed and transformation, so the output is the
    same on every run. Cases are split by seed: within each expected level,
    the 30% of seeds with the smallest SHA-256 hash of their id go, with all
    their variants, to variants_aside.jsonl (a check nobody tunes on); the
    rest go to variants_tune.jsonl. The seeds themselves go into the same
    split.

How to rerun (from the repository root)
    python3 tests/triage/generate_variants.py
        regenerates tests/triage/variants_tune.jsonl and variants_aside.jsonl
    python3 tests/triage/generate_variants.py --out all.jsonl   (or --out -)
        also writes every seed and variant to one file (or stdout)

Each output line: {"id": seed id + "." + variant, "class", "variant", "turns",
"profile", "expect": {"level", "levels_ok"}} -- the seeds' format. Python 3,
standard library only.
"""

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ASIDE_FRACTION = 0.30

# --------------------------------------------------------------------------
# Bland opening complaint and red-flag sentence per red-flag seed.
# The red-flag sentence must carry the seed's level on its own and read
# naturally after "about two weeks. " and after "except that ".
# --------------------------------------------------------------------------
SPLITS = {
    "sa-hot-swollen": ("My knee has been a bit achy.",
                       "since yesterday though it's swelled right up, it's hot to touch and I can barely bend it."),
    "sa-after-injection": ("I've had a grumbling knee for a while.",
                           "since my steroid jab in it a few days ago the whole joint has gone puffy, warm and angry-looking."),
    "sa-fever": ("Looking for some advice about my knee.",
                 "it's ballooned up hot and throbbing and my temperature was 38.7 this afternoon."),
    "sa-rigors": ("My knee's sore.",
                  "last night it went red and puffy and I had shivering fits I couldn't stop."),
    "sa-rigors-2": ("Knee's been giving me some bother.",
                    "now it's swollen and hot and I keep getting the shakes, freezing cold then sweating."),
    "sa-immuno": ("One of my knees is playing up.",
                  "this week it's flared far worse than usual, hot and tight, and I'm on methotrexate because of my rheumatoid."),
    "sa-transplant": ("I've got a painful knee.",
                      "since yesterday it's swollen, warm and agony to move, and I'm on anti-rejection tablets after a kidney transplant."),
    "pji-fever": ("I have a question about my knee.",
                  "the last two days my replaced knee has gone hot and more swollen and tonight I'm running 38.4."),
    "pji-unwell": ("My mum's knee is bothering her.",
                   "today her replaced knee is red and swollen again and she's shivery, off her food and not quite with it."),
    "pji-wound": ("I'm recovering from an operation on my knee.",
                  "now a spot at the bottom of my knee replacement scar is weeping yellowish fluid, though I feel fine in myself."),
    "pji-wound-2": ("My knee is healing slowly.",
                    "the end of my knee replacement wound has opened a little and the redness round it spreads a bit more each day."),
    "fx-fibular-head": ("My knee hurts.",
                        "last night I took a knock on the outside of it at five-a-side and the bony knob just below the knee on the outer side is really sore to press."),
    "fx-patella": ("My knee's sore.",
                   "this morning I slipped on ice and landed on my kneecap and the kneecap bone is really tender to touch."),
    "fx-flex90": ("Bit of knee pain.",
                  "this morning I came off my bike onto the kerb and now the knee won't bend far enough to sit on a chair."),
    "fx-few-steps": ("My knee aches.",
                     "today someone slid into my knee at rugby and now I can only take two or three steps before I have to stop."),
    "fx-age-fall": ("My left knee is sore.",
                    "yesterday I tripped over the dog's lead and landed on that knee, and I'm 68."),
    "fx-nwb": ("My right knee hurts.",
               "this morning I fell off a stepladder and I can't put any weight at all on that leg."),
    "fx-deformed": ("My knee is painful.",
                    "today I got tackled at hockey, the knee looks misshapen and I couldn't stand up afterwards."),
    "cs-shin-knock": ("My leg is sore.",
                      "this afternoon a ball hit my shin and now the pain is far worse than the knock deserved and the shin feels hard and tight."),
    "cs-plaster-toes": ("My leg hurts.",
                        "I had a plaster put on for a broken shin yesterday and it really hurts when my toes get moved, the tablets aren't making a dent."),
    "cs-crush": ("My leg is sore below the knee.",
                 "this morning my calf got squashed against a wall by a trailer and now it's solid as a brick with pins and needles going into my foot."),
    "cs-kick-understated": ("My shin aches.",
                            "last night I got kicked there and it's getting worse by the hour, way more than the kick, and the top of my foot is going numb."),
    "dvt-flight": ("I've got an ache behind my knee.",
                   "since I flew back from Singapore my right calf has been swollen and warm, the left one is fine."),
    "dvt-after-op": ("My knee is still a bit sore.",
                     "since my knee arthroscopy last week the calf below it has puffed up, gone tender and looks purplish."),
    "dvt-plaster": ("My leg is uncomfortable.",
                    "my ankle's in a cast and over the last day the calf above it has gone tight, hot and swollen."),
    "dvt-pill": ("The back of my knee hurts.",
                 "for two days now my left calf and the back of that knee have been throbbing and that leg is fatter than the other, and I'm on the combined pill."),
    "pe-breathless": ("My knee is recovering from surgery.",
                      "since the op my calf has been swollen and this morning I'm short of breath just walking to the kitchen."),
    "pe-chest-pain": ("My leg's been aching.",
                      "since a long coach trip my left calf has been hot and swollen and now I get a sharp pain in my chest when I breathe in."),
    "pe-coughing-blood": ("My calf is sore.",
                          "it's been swollen since the plaster came off and tonight I coughed up some blood."),
    "haem-netball": ("My knee hurts.",
                     "tonight at netball I landed awkwardly, felt a pop, and within an hour the knee had swollen to twice its size."),
    "haem-ski": ("I've got a sore knee.",
                 "yesterday my ski caught, the knee twisted with a clunk and it was hugely swollen within an hour or so."),
    "lock-kneeling": ("My knee is uncomfortable.",
                      "today I stood up from kneeling and the knee got stuck bent, I can't straighten it, it feels jammed."),
    "lock-squat": ("Knee trouble.",
                   "this morning after a squat the knee stuck at an angle and the last bit of straightening just won't happen."),
    "ext-quads": ("My knee's not right.",
                  "yesterday I missed a kerb, the knee buckled, and now I can't lift my leg off the bed straight and there's a dip above the kneecap."),
    "ext-patellar-tendon": ("My knee hurts.",
                            "today I landed from a jump, felt a snap under my kneecap, and now it sits higher than the other kneecap and I can't raise the leg straight."),
    "kd-motorbike": ("My knee is painful.",
                     "today my motorbike came down on my knee, it went out of shape and clunked back, and now my foot's cold and white."),
    "kd-pothole": ("My knee hurts a lot.",
                   "today I stepped in a hole and my whole lower leg went sideways at the knee, and now my foot's numb and I can't pull my toes up."),
    "pat-reduced": ("My kneecap is sore.",
                    "last night while dancing my kneecap slid off to the outside then popped back, I'm walking on it though."),
    "pat-big-swelling": ("My knee is sore.",
                         "today I turned sharply, my kneecap shot out sideways and went back, and within twenty minutes the knee swelled up massively."),
    "head-warfarin": ("My knee hurts a bit.",
                      "this morning I tripped on the garden step, hurt my knee and bumped my head on the wall, and I'm on warfarin."),
    "head-apixaban": ("My knee is bruised.",
                      "today I fell in the shower, hit my knee and my head, I'm on apixaban and I've vomited since."),
    "head-rivaroxaban": ("My dad's knee is hurting.",
                         "today he slipped on the path, cut his knee and hit his head, he's on rivaroxaban and now he's very drowsy."),
    "head-clopidogrel": ("My knee is sore.",
                         "today I went down on ice, knee first, and my head hit the ground too, and I'm on clopidogrel."),
    "tum-night-weight": ("I've got an ache near my knee.",
                         "it's a deep ache above the knee that's worse at night and wakes me, and I've lost about a stone without trying."),
    "tum-teen-lump": ("My son's knee is a bit sore.",
                      "he's got a hard lump on the bone below his knee that's getting bigger and it aches at night."),
    "tum-cancer-history": ("My leg aches near the knee.",
                           "there's a constant pain in the bone above my knee that's there at rest and keeps me up at night, and I had breast cancer five years ago."),
    "child-limp-fever": ("My daughter's knee is hurting.",
                         "since yesterday she's been limping and today she's got a temperature of 39."),
    "child-wont-stand": ("My little boy's leg seems sore.",
                         "this morning he won't stand at all, he crumples and cries when I put him on his feet."),
    "child-shivery-limp": ("My son's knee is sore.",
                           "now he's limping badly, shivery and off his food."),
}

# --------------------------------------------------------------------------
# Word tables
# --------------------------------------------------------------------------
SHORTHAND = [
    ("without", "w/o"), ("with", "w/"), ("you", "u"), ("your", "ur"),
    ("and", "n"), ("are", "r"), ("because", "cos"), ("not", "nt"),
    ("don't", "dnt"), ("never", "nvr"), ("tonight", "2nite"),
    ("today", "2day"), ("tomorrow", "2moro"), ("before", "b4"),
    ("please", "pls"), ("really", "rly"), ("probably", "prob"),
    ("something", "smth"), ("people", "ppl"), ("though", "tho"),
    ("okay", "ok"), ("minutes", "mins"), ("for", "4"),
]

MISSPELL = {
    "swollen": "swolen", "knee": "kne", "numb": "numm", "tingling": "tingleing",
    "swelling": "sweling", "swelled": "sweled", "temperature": "temprature",
    "shivering": "shivvering", "shivery": "shivvery", "fever": "feaver",
    "feverish": "feaverish", "warfarin": "warferin", "apixaban": "apixiban",
    "rivaroxaban": "rivaroxiban", "clopidogrel": "clopidogral",
    "methotrexate": "methotrexete", "arthritis": "arthritus",
    "rheumatoid": "rhumatoid", "kneecap": "knee cap", "calf": "calve",
    "straighten": "straiten", "straight": "strait", "weight": "wieght",
    "really": "realy", "because": "becuase", "definitely": "definately",
    "painful": "painfull", "surgery": "surgury", "replacement": "replacment",
    "replaced": "replased", "operation": "opperation", "breathe": "breath",
    "breath": "breth", "coughed": "coffed", "vomited": "vomitted",
    "headache": "head ache", "drowsy": "drowzy", "tender": "tendor",
    "throbbing": "throbing", "unbearable": "unbareable", "limping": "limpping",
    "plaster": "plastor", "bruised": "bruized", "bruise": "bruize",
    "ache": "ake", "aches": "akes", "achy": "akey", "stiff": "stif",
    "wound": "woond", "weeping": "weaping", "kneeling": "kneling",
    "cramp": "cramps", "tingly": "tingley", "purplish": "purpleish",
    "immediately": "immediatly",
    "transplant": "transplnt", "injection": "injecton", "noticeably": "noticably",
    "brilliantly": "brilliantley", "uncontrollable": "uncontrolable",
    "exercises": "excercises", "exercise": "excercise", "running": "runing",
    "crumples": "crumbles", "arthroscopy": "arthroscophy", "toddler": "todler",
    "stepladder": "step ladder", "awkwardly": "awkwardy", "massively": "massivly",
    "enormously": "enormusly", "blood": "blod", "stairs": "stares",
    "worried": "worryed", "completely": "completly", "sideways": "sidways",
    "dislocated": "dislocted", "thigh": "thy", "weird": "wierd",
}

UNDERSTATE = [
    ("prob nothing but ", ""),
    ("not one to fuss, however ", ""),
    ("she'll be right, just ", ""),
    ("I'm sure it's fine really, ", " Probably just need to rest it."),
    ("don't want to waste anyone's time but ", " It's not that bad honestly."),
    ("bit of a daft question maybe, ", " Anyway, I'll live!"),
    ("not a big deal, ", " I'll just keep an eye on it."),
]

PHONE_OPENERS = ["yeah so ", "erm hi yeah so ", "yeah hi erm ", "so erm ", "right so yeah "]
PHONE_JOINS = [" erm ", " and erm ", " so yeah ", " and like ", " yeah and ", " "]

NEG_LOOKALIKE = "no fever, no redness, not hot, walked fine, "
NEG_FLAG = "my temperature's normal and there's nothing else wrong, except that "
NEG_FLAG_FEVERISH = "didn't fall or bang it and there's nothing else wrong, except that "
FEVERISH = re.compile(r"fever|temperature|\btemp\b|shiver|shakes|sweat|\b3[89](\.\d)?\b", re.I)

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=\S)")


def rng_for(seed_id, variant):
    return random.Random(hashlib.sha256(f"{seed_id}|{variant}".encode()).hexdigest())


def sentences(text):
    return [s for s in SENT_SPLIT.split(text.strip()) if s]


def lower_first(s):
    if s.startswith("I ") or s.startswith("I'") or s == "I":
        return s
    return s[:1].lower() + s[1:]


def strip_punct(text, keep=""):
    """Drop punctuation except decimal points inside numbers and chars in keep."""
    out = []
    for i, ch in enumerate(text):
        if ch.isalnum() or ch.isspace() or ch in keep:
            out.append(ch)
        elif ch == "." and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            out.append(ch)
        elif ch in "-":
            out.append(" ")
    return re.sub(r"\s+", " ", "".join(out)).strip()


# --------------------------------------------------------------------------
# Transformations: each returns a list of turns, or None when it does not apply
# --------------------------------------------------------------------------
def t_shorthand(seed, rng):
    out = []
    for turn in seed["turns"]:
        t = turn.lower().replace("\u2019", "'")
        for word, short in SHORTHAND:
            t = re.sub(r"(?<![\w'])" + re.escape(word) + r"(?![\w'])", short, t)
        out.append(strip_punct(t, keep="/"))
    return out


def t_misspell(seed, rng):
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, MISSPELL), key=len, reverse=True)) + r")\b", re.I)
    changed = [0]

    def repl(m):
        word = m.group(0)
        if rng.random() > 0.75:
            return word
        typo = MISSPELL[word.lower()]
        changed[0] += 1
        return typo[:1].upper() + typo[1:] if word[:1].isupper() else typo

    out = [pattern.sub(repl, turn) for turn in seed["turns"]]
    if not changed[0]:  # make sure at least one typo lands
        for i, turn in enumerate(seed["turns"]):
            m = pattern.search(turn)
            if m:
                typo = MISSPELL[m.group(0).lower()]
                out[i] = turn[:m.start()] + typo + turn[m.end():]
                changed[0] = 1
                break
    return out if changed[0] else None


def t_understate(seed, rng):
    pre, post = rng.choice(UNDERSTATE)
    turns = list(seed["turns"])
    turns[0] = pre + lower_first(turns[0])
    if post:
        turns[-1] = turns[-1].rstrip() + post
    return turns


def t_phone(seed, rng):
    out = []
    for n, turn in enumerate(seed["turns"]):
        parts = [strip_punct(s.lower().replace("\u2019", "'"), keep="'") for s in sentences(turn)]
        text = parts[0]
        for p in parts[1:]:
            text += rng.choice(PHONE_JOINS) + p
        # one filler "like" in front of a description, if there is one
        m = next((m for m in re.finditer(r"(?<=\w )(it's|is|was|feels|looks) (?!like\b|that\b|it\b|there\b|this\b)", text)), None)
        if m and rng.random() < 0.7:
            text = text[:m.end()] + "like " + text[m.end():]
        opener = rng.choice(PHONE_OPENERS) if n == 0 else rng.choice(["yeah ", "erm ", "yeah so ", "um "])
        out.append(opener + text)
    return out


# --- other person ---------------------------------------------------------
THIRD_PERSON = re.compile(r"\b(he|she|him|his|her|hers|they|them|their|he's|she's|my (son|daughter|mum|mom|dad|husband|wife|toddler|nan|brother|sister|partner|grandad|little boy|little girl))\b", re.I)
AGREE = {  # present-tense verb after "I" -> third person
    "am": "is", "have": "has", "do": "does", "don't": "doesn't", "feel": "feels",
    "think": "thinks", "get": "gets", "take": "takes", "need": "needs",
    "know": "knows", "keep": "keeps", "want": "wants", "go": "goes",
    "walk": "walks", "run": "runs", "use": "uses", "sit": "sits",
    "hear": "hears", "wake": "wakes", "haven't": "hasn't", "can": "can",
}
PAST_OR_MODAL = set("""was wasn't had hadn't did didn't can can't cannot could couldn't would wouldn't
will won't should shouldn't might must may fell went got took heard felt thought came
tripped slipped stood sat woke missed flew stepped landed turned spun broke saw put
realised realized panicked upped began started ended stretched walked""".split())
ADVERBS = {"also", "just", "really", "only", "still", "then", "never", "always", "actually", "even"}
INVERT = {"do": "does", "am": "is", "have": "has", "don't": "doesn't", "haven't": "hasn't"}
ELIDED_SUBJECT = set("""Had Came Fell Got Flew Twisted Stepped Turned Tripped Went Heard
Jumped Woke Sat Took Landed Slipped Missed Couldn't Panicked Realised Stretched
Bumped Whacked Dropped Going""".split())
MALE = [("husband", 25, 200), ("brother", 16, 60), ("dad", 45, 200), ("partner", 20, 200)]
FEMALE = [("wife", 25, 200), ("sister", 16, 60), ("mum", 45, 200)]
FEMALE_HINT = re.compile(r"\bpill\b|pregnan|breast|\bHRT\b|period", re.I)


def t_other_person(seed, rng):
    text_all = " ".join(seed["turns"])
    if THIRD_PERSON.search(text_all):
        return None  # already about someone else
    if not re.search(r"\b(I|I'm|I've|I'd|I'll|my|me|mine|myself)\b", text_all):
        return None
    try:
        age = int(re.match(r"\d+", seed["profile"].get("age", "")).group(0))
    except (AttributeError, ValueError):
        age = 40
    female = bool(FEMALE_HINT.search(text_all)) or rng.random() < 0.5
    pool = [r for r in (FEMALE if female else MALE) if r[1] <= age <= r[2]]
    relative = rng.choice(pool)[0]
    subj, obj, poss, refl, poss_abs = (("she", "her", "her", "herself", "hers") if female
                                       else ("he", "him", "his", "himself", "his"))
    noun = "my " + relative
    introduced = [False]

    out = []
    for turn in seed["turns"]:
        tokens = re.findall(r"[A-Za-z']+|[^A-Za-z']+", turn)
        words = [i for i, tk in enumerate(tokens) if re.match(r"[A-Za-z']", tk)]
        new = list(tokens)
        first_person_clause = False
        for wi, i in enumerate(words):
            tk = tokens[i]
            nxt = [tokens[j] for j in words[wi + 1:wi + 3]]
            prev = tokens[words[wi - 1]].lower() if wi > 0 else ""
            first = not introduced[0]
            gap = "".join(tokens[words[wi - 1] + 1:i]) if wi > 0 else ""
            sentence_start = wi == 0 or bool(re.search(r"[.!?]", gap))
            if sentence_start:
                first_person_clause = False
            if sentence_start and tk in ELIDED_SUBJECT:
                # "Fell off a ladder." -> "My dad fell off a ladder."
                who = noun if first else subj
                verb = tk.lower()
                if verb == "going":
                    verb = "is going" if first else "'s going"
                    new[i] = who + (" " if first else "") + verb
                elif verb == "got" and nxt and nxt[0].lower() in ("a", "an", "some", "pins"):
                    verb = "has got" if first else "'s got"
                    new[i] = who + (" " if first else "") + verb
                else:
                    new[i] = who + " " + verb
                introduced[0] = True
                continue
            if sentence_start and tk in ("Left", "Right") and nxt and nxt[0].lower() == "knee":
                new[i] = (noun + "'s " if first else poss + " ") + tk.lower()
                introduced[0] = True
                continue
            if (first_person_clause and prev in ("and", "but") and tk.islower()
                    and tk in AGREE and tk not in ("am", "can", "do", "don't")):
                new[i] = AGREE[tk]  # "I'm 74 and take ..." -> "... and takes ..."
                continue
            if tk in ("I", "I'm", "I've", "I'd", "I'll"):
                first_person_clause = True
                base = noun if first else subj
                if tk == "I":
                    if prev in INVERT:  # "do I need" -> "does he need"
                        new[words[wi - 1]] = INVERT[prev] if tokens[words[wi - 1]].islower() else INVERT[prev].capitalize()
                    elif prev in PAST_OR_MODAL or prev in ("should", "can", "could", "would", "will", "is", "am"):
                        pass
                    else:
                        k = 0
                        while k < len(nxt) and nxt[k].lower() in ADVERBS:
                            k += 1
                        if k >= len(nxt):
                            return None
                        verb = nxt[k]
                        vl = verb.lower()
                        if vl in PAST_OR_MODAL or vl.endswith("ed"):
                            pass
                        elif vl in AGREE:
                            new[words[wi + 1 + k]] = AGREE[vl]
                        else:
                            return None  # cannot agree safely
                    new[i] = base
                elif tk == "I'm":
                    new[i] = noun + "'s" if first else subj + "'s"
                elif tk == "I've":
                    new[i] = noun + " has" if first else subj + "'s"
                elif tk == "I'd":
                    participle = bool(nxt) and (nxt[0].lower().endswith(("ed", "en")) or nxt[0].lower() in ("had", "done", "gone", "got"))
                    new[i] = (noun + (" had" if participle else " would")) if first else subj + "'d"
                elif tk == "I'll":
                    new[i] = noun + " will" if first else subj + "'ll"
                introduced[0] = True
            elif tk.lower() == "my":
                if first:
                    new[i] = noun + "'s"
                    introduced[0] = True
                else:
                    new[i] = poss
            elif tk.lower() == "me":
                new[i] = noun if first else obj
                introduced[0] = True
            elif tk.lower() == "mine":
                new[i] = poss_abs
            elif tk.lower() == "myself":
                new[i] = refl
            elif tk.lower() in ("we", "us", "our"):
                return None
        text = "".join(new)
        # capitalise sentence starts again
        text = re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
        out.append(text)
    return out


def t_clause_order(seed, rng):
    out, changed = [], False
    for turn in seed["turns"]:
        parts = sentences(turn)
        if len(parts) > 1:
            changed = True
            parts = list(reversed(parts))
        out.append(" ".join(parts))
    return out if changed else None


def is_red_flag(seed):
    return seed["expect"]["level"] != "SELF_CARE"


def t_split_duration(seed, rng):
    if not is_red_flag(seed) or seed["id"] not in SPLITS:
        return None
    bland, flag = SPLITS[seed["id"]]
    return [bland, "about two weeks. " + flag]


def t_negated_list(seed, rng):
    if not is_red_flag(seed):
        turns = list(seed["turns"])
        turns[0] = NEG_LOOKALIKE + lower_first(turns[0])
        return turns
    if seed["id"] not in SPLITS:
        return None
    bland, flag = SPLITS[seed["id"]]
    prefix = NEG_FLAG_FEVERISH if FEVERISH.search(flag) else NEG_FLAG
    return [bland, prefix + flag]


TRANSFORMS = [
    ("shorthand", t_shorthand),
    ("misspell", t_misspell),
    ("understate", t_understate),
    ("phone", t_phone),
    ("other_person", t_other_person),
    ("clause_order", t_clause_order),
    ("split_duration", t_split_duration),
    ("negated_list", t_negated_list),
]


def case(seed, variant, turns):
    return {
        "id": seed["id"] if variant == "seed" else seed["id"] + "." + variant,
        "class": seed["class"],
        "variant": variant,
        "turns": turns,
        "profile": seed["profile"],
        "expect": {"level": seed["expect"]["level"],
                   "levels_ok": list(seed["expect"]["levels_ok"])},
    }


def variants(seed):
    yield case(seed, "seed", list(seed["turns"]))
    seen = {tuple(seed["turns"])}
    for name, fn in TRANSFORMS:
        turns = fn(seed, rng_for(seed["id"], name))
        if not turns or tuple(turns) in seen:
            continue
        seen.add(tuple(turns))
        yield case(seed, name, turns)


def seed_hash(seed_id):
    return hashlib.sha256(seed_id.encode()).hexdigest()


def aside_ids(seeds):
    """Within each expected level, the ASIDE_FRACTION of seeds with the
    smallest SHA-256 of their id (so every level is represented)."""
    by_level = {}
    for s in seeds:
        by_level.setdefault(s["expect"]["level"], []).append(s["id"])
    chosen = set()
    for ids in by_level.values():
        ids.sort(key=seed_hash)
        chosen.update(ids[:round(len(ids) * ASIDE_FRACTION)])
    return chosen


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default=str(HERE / "seeds.jsonl"))
    ap.add_argument("--tune", default=str(HERE / "variants_tune.jsonl"))
    ap.add_argument("--aside", default=str(HERE / "variants_aside.jsonl"))
    ap.add_argument("--out", help="also write every case here ('-' = stdout)")
    args = ap.parse_args(argv)

    seeds = [json.loads(line) for line in open(args.seeds, encoding="utf-8") if line.strip()]
    set_aside = aside_ids(seeds)
    tune, aside = [], []
    for seed in seeds:
        (aside if seed["id"] in set_aside else tune).extend(variants(seed))

    def dump(cases, path):
        fh = sys.stdout if path == "-" else open(path, "w", encoding="utf-8")
        for c in cases:
            fh.write(json.dumps(c, ensure_ascii=False) + "\n")
        if fh is not sys.stdout:
            fh.close()

    dump(tune, args.tune)
    dump(aside, args.aside)
    if args.out:
        dump(tune + aside, args.out)

    per_variant = Counter(c["variant"] for c in tune + aside)
    print(f"seeds {len(seeds)}; tune {len(tune)} cases, aside {len(aside)} cases", file=sys.stderr)
    print("per variant: " + ", ".join(f"{k} {v}" for k, v in per_variant.items()), file=sys.stderr)
    for label, cases in (("tune", tune), ("aside", aside)):
        lv = Counter(c["expect"]["level"] for c in cases)
        print(f"{label} levels: " + ", ".join(f"{k} {lv[k]}" for k in
              ("EMERGENCY", "URGENT", "SOON", "SELF_CARE")), file=sys.stderr)


if __name__ == "__main__":
    main()
