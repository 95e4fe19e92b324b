#!/usr/bin/python3
"""Trains kneechat's crisis safety net and writes corpus/understanding/crisis_weights.tsv.

A naive Bayes model over the words and word pairs of one message: the log
odds that a message from a crisis story carries the crisis, against every
message of a story without one. It backs up the patterns of crisis.tsv:
a message scoring above the threshold is read as a crisis thought (URGENT,
and kneechat asks the direct question) unless the message denies it.

Trained on every one of the project's own tuning sets (never the held-aside
ones); features made of function words alone are left out:
    /usr/bin/python3 tests/triage/train_crisis_weights.py
Words: lower case, apostrophes dropped, runs of a-z; a message longer than
30 words scores its best window of 30 (windows start every 10 words, and
the last ends at the last word), so a
long message does not add up to an alarm. The same rules are in
services/understanding/crisis_scorer.cc. Standard library only.
"""
import collections, glob, json, math, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Every tuning set (a file whose name has no "aside"): the held-aside sets
# stay unseen, to measure the net on.
TRAIN = sorted(os.path.basename(f)[:-len(".jsonl")]
               for f in glob.glob(os.path.join(HERE, "*.jsonl"))
               if "aside" not in os.path.basename(f))
CRISIS_PREFIXES = ("cr-", "c3-", "fa-cr-", "c4-", "c5-", "c6-", "c7-")
# The sets' names for crisis stories (a class naming a wish, plan, means,
# preparation, self-injury ...); every urgent story of a crisis set is one.
CRISIS_CLASS = re.compile(
    r"crisis|wish|plan|self_harm|self_injury|selfharm|veiled|prep|farewell|"
    r"future|means|intent|attempt|burden|hopeless|goodbye|tidy|timed_end|"
    r"final_date|unsafe|active|method|passive|despair")
QUANTILE = 0.993   # of the scores of messages from stories without a crisis
MIN_COUNT = 2      # a feature seen fewer times is left out
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
    out = list(case["turns"])
    for key in ("red_flags", "activity", "duration"):
        value = case.get("profile", {}).get(key)
        if value:
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


def train(pos, neg):
    cp, cn = collections.Counter(), collections.Counter()
    for t in pos:
        cp.update(features(t))
    for t in neg:
        cn.update(features(t))
    weights = {}
    for f in set(cp) | set(cn):
        if cp[f] + cn[f] < MIN_COUNT:
            continue
        a = (cp[f] + 0.5) / (len(pos) + 1)
        b = (cn[f] + 0.5) / (len(neg) + 1)
        weights[f] = math.log(a / b)
    return weights


def score(weights, text):
    w = words(text)
    if len(w) <= WINDOW:
        return sum(weights.get(f, 0.0) for f in features(text))
    starts = list(range(0, len(w) - WINDOW + 1, STEP))
    if (len(w) - WINDOW) % STEP:
        starts.append(len(w) - WINDOW)  # the last window ends at the last word
    best = None
    for i in starts:
        s = sum(weights.get(f, 0.0) for f in features(" ".join(w[i:i + WINDOW])))
        best = s if best is None else max(best, s)
    return best


def main():
    crisis, other = [], []
    for name in TRAIN:
        for line in open(os.path.join(HERE, name + ".jsonl")):
            if not line.strip():
                continue
            case = json.loads(line)
            (crisis if is_crisis(case, name) else other).append(case)
    neg = [t for c in other for t in messages(c)]
    # Which message of a crisis story carries it is not labelled: start from
    # all of them, then keep each story's highest-scoring message.
    pos = [t for c in crisis for t in messages(c)]
    weights = train(pos, neg)
    for _ in range(3):
        pos = [max(messages(c), key=lambda t: score(weights, t)) for c in crisis]
        weights = train(pos, neg)
    scores = sorted(score(weights, t) for t in neg)
    threshold = scores[int(QUANTILE * len(scores)) - 1]
    path = os.path.join(ROOT, "corpus", "understanding", "crisis_weights.tsv")
    with open(path, "w") as out:
        out.write("# Crisis safety net: naive Bayes weights over the words and word pairs of\n")
        out.write("# one message (\"a_b\" is the pair). Generated by\n")
        out.write("# tests/triage/train_crisis_weights.py from kneechat's own tuning sets\n")
        out.write("# (%d crisis stories, %d messages without a crisis); do not edit by hand,\n" % (len(crisis), len(neg)))
        out.write("# change the sets and run it again. A message whose summed weight is above\n")
        out.write("# the threshold (the %.1fth percentile of messages without a crisis) is read\n" % (QUANTILE * 100))
        out.write("# as a crisis thought unless it denies one. A message longer than %d words\n" % WINDOW)
        out.write("# scores its best window of %d words (windows start every %d words).\n" % (WINDOW, STEP))
        out.write("feature\tweight\n")
        out.write("threshold\t%.4f\n" % threshold)
        for f in sorted(weights, key=lambda f: (-abs(weights[f]), f)):
            out.write("%s\t%.4f\n" % (f, weights[f]))
    print("wrote %s: %d features, threshold %.2f" % (path, len(weights), threshold))


if __name__ == "__main__":
    main()
