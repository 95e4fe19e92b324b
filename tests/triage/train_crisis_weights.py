#!/usr/bin/python3
"""Trains kneechat's crisis safety net and writes corpus/understanding/crisis_weights.tsv.

A logistic regression over the words and word pairs of one message: the
weights that tell a message of a crisis story that carries the crisis from
every message of a story without one. It backs up the patterns of
crisis.tsv: a message scoring above the threshold is read as a crisis
thought (URGENT, and kneechat asks the direct question) unless the message
denies it. The threshold is set on scores a model gave stories it was not
trained on (five folds of whole sets), so that it flags STORY_FALSE_ALARMS
of the stories without a crisis that a new writer would send, not of the
ones it learnt from. (A naive Bayes model, used before, flagged about 56%
of the crisis stories at 2.5% of the others in the same folds; this one
68%, 71% with the phrasing rows in training.) The regression is fitted here by stochastic gradient
descent in a few lines, with a fixed seed, so that the script needs
nothing beyond Python's standard library.

Trained on every one of the project's own tuning sets (never the held-aside
ones) and the understanding's phrasing rows (a crisis where a row expects
self_harm, none where it does not); features made of function words alone are left out:
    /usr/bin/python3 tests/triage/train_crisis_weights.py
Words: lower case, apostrophes dropped, runs of a-z; a message longer than
30 words scores its best window of 30 (windows start every 10 words, and
the last ends at the last word), so a
long message does not add up to an alarm. The same rules are in
services/understanding/crisis_scorer.cc. Standard library only.
"""
import collections, glob, json, math, os, random, re, zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Every tuning set (a file whose name has no "aside"): the held-aside sets
# stay unseen, to measure the net on.
TRAIN = sorted(os.path.basename(f)[:-len(".jsonl")]
               for f in glob.glob(os.path.join(HERE, "*.jsonl"))
               if "aside" not in os.path.basename(f))
PHRASINGS = os.path.join(ROOT, "services", "understanding", "testdata",
                         "phrasings.jsonl")
CRISIS_PREFIXES = ("cr-", "c3-", "fa-cr-", "c4-", "c5-", "c6-", "c7-")
# The sets' names for crisis stories (a class naming a wish, plan, means,
# preparation, self-injury ...); every urgent story of a crisis set is one.
CRISIS_CLASS = re.compile(
    r"crisis|wish|plan|self_harm|self_injury|selfharm|veiled|prep|farewell|"
    r"future|means|intent|attempt|burden|hopeless|goodbye|tidy|timed_end|"
    r"final_date|unsafe|active|method|passive|despair")
STORY_FALSE_ALARMS = 0.025 # share of stories without a crisis the net flags
FOLDS = 5          # of whole sets, for the out-of-fold scores the threshold comes from
MIN_COUNT = 2      # a feature seen fewer times is left out
MIN_WEIGHT = 0.01  # a smaller weight is left out of the file
L2 = 1e-3          # weight decay
RATE = 0.2         # learning rate of the first pass, divided by the pass number after
EPOCHS = 8
SEED = 1
WINDOW = 30        # words scored together; a longer message scores its best window
STEP = 10


APOSTROPHES = "'`\u2019\u2018\u00b4\u02bc"  # as services/text/text_normalize.h


def words(text):
    return re.findall(r"[a-z]+", re.sub("[" + APOSTROPHES + "]", "", text.lower()))


# Function words: a feature made of these alone ("i_am", "that_the") says
# how a person writes, not what, and is left out. Negations, "here",
# "without", "more", "off", "over" and the like stay: they carry the
# meaning of "not be here", "better off without me".
FUNCTION_WORDS = frozenset("""
i me my mine myself you your he him his she her it its we us our they them
their a an the and or but so if then than that this these those is am are
was were be been being have has had do does did doing will would shall
should can could may might must to of in on at by for from with as about
into up down out just also very really what which who whom when where why
how there s t d ll m re ve im ive id
""".split())


def features(text):
    w = words(text)
    out = set(w) | {a + "_" + b for a, b in zip(w, w[1:])}
    return {f for f in out
            if any(part not in FUNCTION_WORDS for part in f.split("_"))}


def messages(case):
    """The story's messages and its profile's answers: a crisis may be told
    in the answer to any question, and a story whose crisis sits in an
    answer left out would teach the net its opening knee question."""
    out = list(case["turns"])
    for value in case.get("profile", {}).values():
        if isinstance(value, str) and value:
            out.append(value)
    return out


def is_crisis(case, set_name):
    expect = case.get("expect", {})
    level = expect.get("level") if isinstance(expect, dict) else None
    level = level or case.get("expect_level")
    if level not in ("URGENT", "EMERGENCY"):
        return False
    return (set_name.startswith("crisis") or
            case["id"].startswith(CRISIS_PREFIXES) or
            bool(CRISIS_CLASS.search(case.get("class", ""))))


def windows(text):
    """The windows the scorer reads: the message itself, or for a long one
    windows of WINDOW words every STEP words, the last ending at the last."""
    w = words(text)
    if len(w) <= WINDOW:
        return [text]
    starts = list(range(0, len(w) - WINDOW + 1, STEP))
    if (len(w) - WINDOW) % STEP:
        starts.append(len(w) - WINDOW)  # the last window ends at the last word
    return [" ".join(w[i:i + WINDOW]) for i in starts]


def score(weights, text):
    return max(sum(weights.get(f, 0.0) for f in features(win))
               for win in windows(text))


def fit(pos, neg):
    """Logistic regression by stochastic gradient descent (fixed seed, so the
    same sets give the same file): pos and neg are feature sets. Returns the
    weights without the bias, which the threshold absorbs."""
    counts = collections.Counter()
    for x in pos + neg:
        counts.update(x)
    data = [(sorted(f for f in x if counts[f] >= MIN_COUNT), 1) for x in pos]
    data += [(sorted(f for f in x if counts[f] >= MIN_COUNT), 0) for x in neg]
    weights = collections.defaultdict(float)
    bias = -3.0
    rng = random.Random(SEED)
    for epoch in range(EPOCHS):
        rng.shuffle(data)
        rate = RATE / (1 + epoch)
        for x, y in data:
            z = max(-30.0, min(30.0, bias + sum(weights[f] for f in x)))
            g = 1 / (1 + math.exp(-z)) - y
            bias -= rate * g
            for f in x:
                weights[f] -= rate * (g + L2 * weights[f])
    return {f: w for f, w in weights.items() if abs(w) >= MIN_WEIGHT}


def train(crisis, other):
    """Negatives: every window of every message of a story without a crisis.
    Which message of a crisis story carries it is not labelled: start from
    the window that holds most words seen more often in crisis stories, then
    take each story's best-scoring window under the model and fit again."""
    neg = [features(win) for c in other for t in messages(c)
           for win in windows(t)]
    in_crisis, in_other = collections.Counter(), collections.Counter()
    for c in crisis:
        for t in messages(c):
            in_crisis.update(features(t))
    for c in other:
        for t in messages(c):
            in_other.update(features(t))
    ratio = {f: math.log((in_crisis[f] + 0.5) / (len(crisis) + 1)) -
                math.log((in_other[f] + 0.5) / (len(other) + 1))
             for f in in_crisis}

    def best(case, weights):
        return max((win for t in messages(case) for win in windows(t)),
                   key=lambda win: score(weights, win))

    weights = ratio
    for _ in range(3):
        weights = fit([features(best(c, weights)) for c in crisis], neg)
    return weights


def story_score(weights, case):
    return max(score(weights, t) for t in messages(case))


def load_sets():
    crisis, other = [], []
    for name in TRAIN:
        for line in open(os.path.join(HERE, name + ".jsonl")):
            if not line.strip():
                continue
            case = json.loads(line)
            case["_set"] = name
            (crisis if is_crisis(case, name) else other).append(case)
    # The understanding's phrasing rows: a message that must be read as a
    # crisis, or must not (look-alikes written by reviewers).
    for line in open(PHRASINGS):
        if not line.strip():
            continue
        row = json.loads(line)
        case = {"turns": [row["text"]], "_set": "phrasings"}
        names = {f.split(":")[0] for f in row.get("findings", [])
                 if f.count(":") == 0 or f.split(":")[1] == "present"}
        (crisis if names & {"self_harm", "self_harm_danger"} else other).append(case)
    return crisis, other


def out_of_fold(crisis, other):
    """Each story scored by a model trained without its set (FOLDS groups of
    whole sets, so a story's near twins in the same set are never in the
    training of the model that scores it): (crisis scores, other scores)."""
    fold = lambda c: zlib.crc32(c["_set"].encode()) % FOLDS
    pos, neg = [], []
    for k in range(FOLDS):
        weights = train([c for c in crisis if fold(c) != k],
                        [c for c in other if fold(c) != k])
        pos += [story_score(weights, c) for c in crisis if fold(c) == k]
        neg += [story_score(weights, c) for c in other if fold(c) == k]
    return pos, neg


def main():
    crisis, other = load_sets()
    pos, neg = out_of_fold(crisis, other)
    neg.sort()
    threshold = neg[int((1 - STORY_FALSE_ALARMS) * len(neg)) - 1]
    recall = sum(s > threshold for s in pos) / len(pos)
    weights = train(crisis, other)
    messages_without = sum(len(messages(c)) for c in other)
    path = os.path.join(ROOT, "corpus", "understanding", "crisis_weights.tsv")
    with open(path, "w") as out:
        out.write("# Crisis safety net: logistic regression weights over the words and word\n")
        out.write("# pairs of one message (\"a_b\" is the pair). Generated by\n")
        out.write("# tests/triage/train_crisis_weights.py from kneechat's own tuning sets and\n")
        out.write("# phrasing rows (%d crisis stories, %d stories and %d messages without a\n" % (len(crisis), len(other), messages_without))
        out.write("# crisis); do not\n")
        out.write("# edit by hand, change the sets and run it again. A message whose summed\n")
        out.write("# weight is above the threshold is read as a crisis thought unless it\n")
        out.write("# denies one. The threshold flags %.1f%% of the stories without a crisis\n" % (100 * STORY_FALSE_ALARMS))
        out.write("# when each is scored by a model trained without its set (%d folds of\n" % FOLDS)
        out.write("# whole sets); scored so, %.1f%% of the crisis stories are flagged. A message\n" % (100 * recall))
        out.write("# longer than %d words scores its best window of %d words (windows start\n" % (WINDOW, WINDOW))
        out.write("# every %d words).\n" % STEP)
        out.write("feature\tweight\n")
        out.write("threshold\t%.4f\n" % threshold)
        for f in sorted(weights, key=lambda f: (-abs(weights[f]), f)):
            out.write("%s\t%.4f\n" % (f, weights[f]))
    print("wrote %s: %d features, threshold %.2f, out-of-fold: %.1f%% of "
          "crisis stories flagged, %.1f%% of the others" %
          (path, len(weights), threshold, 100 * recall,
           100 * sum(s > threshold for s in neg) / len(neg)))


if __name__ == "__main__":
    main()
