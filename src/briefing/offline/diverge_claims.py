"""Claim divergences: one claim, different speakers; or one statement, opposite answers.

Attribution: the same quotation credited to different people or bodies in
different articles.
Yes/no: two similar sentences from different articles where one negates the verb
the other affirms ("was not informed" / "had informed"). Sentences that already
report a contradiction ("contradicting earlier statements", "denied") are never
used as the affirmative side, or every correction story would be flagged twice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefing.model import Article, Divergence

from .attribution import comparable, same_speaker
from .candidates import Candidate, shorten, snippet, version
from .citations import labels
from .facts import SentenceFacts
from .segment import ContentSentence
from .tokens import tokenize
from .vectors import SentenceSpace, stem

MAX_VERSIONS = 6
# A denial that reports the claim it answers ("countering an earlier White House message",
# "after a top official claimed ...") tells a correction over time, not a rival account.
# A bare "earlier" only dates the denial ("earlier on Friday"): the claim must be named.
_ANSWERS_A_CLAIM = re.compile(
    r"\b(?:counter(?:s|ed|ing)?|contradict(?:s|ed|ing)?|claimed|retract(?:s|ed|ing)?|"
    r"walked back|backtrack(?:s|ed|ing)?|revers(?:es|ed|ing)|"
    r"(?:earlier|previous|initial|first)\s+(?:\w+\s+){0,3}?(?:statements?|claims?|messages?|"
    r"assertions?|reports?|accounts?|remarks?|comments?))\b",
    re.IGNORECASE,
)
SAME_STATEMENT = 0.3  # sentence similarity for a yes/no pair
_QUOTE = re.compile(r"[\"“]([^\"“”]{20,})[\"”]")
_RESTRICTIVE = frozenset(
    {"only", "after", "later", "until", "afterwards", "afterward", "subsequently", "once"}
)
# "no" negates nouns ("no reported casualties"), not verbs, so it is not here.
_NEGATORS = frozenset({"not", "n't", "never", "neither", "nor", "cannot"})
# Conditions and possibilities are not statements of fact either way.
_HYPOTHETICAL = re.compile(r"\b(?:if|unless|whether|would|could|might|may)\b", re.IGNORECASE)
_BRIDGE = frozenset({"be", "been", "have", "yet", "even", "ever", "actually", "properly"})
# Verbs of saying: "did not say" vs "said" is about the speaker, not the event.
_SPEECH = frozenset(
    {
        "report", "say", "said", "state", "claim", "confirm", "announc", "stat", "comment",
        "disclos", "reveal", "specifi", "specify", "elaborat", "mention", "add", "note",
    }
)  # fmt: skip
_DOUBT = re.compile(
    r"\b(?:not|n't|cannot|never|no|den(?:y|ied|ies)|false|contradict\w*|incorrect|mistake\w*|"
    r"misspoke|walk\w* back|correct\w*|apologi\w*|retract\w*|wrong\w*|refut\w*|reject\w*)\b",
    re.IGNORECASE,
)


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def _quotes(text: str) -> list[str]:
    return [_norm(q) for q in _QUOTE.findall(text) if len(q.split()) >= 5]


def _shared_quote(quotes_a: Sequence[str], quotes_b: Sequence[str]) -> str | None:
    for qa in quotes_a:
        for qb in quotes_b:
            if qa in qb or qb in qa:
                return qa if len(qa) <= len(qb) else qb
    return None


def attribution_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    facts: Sequence[SentenceFacts],
    scores: Sequence[float],
) -> list[Candidate]:
    # Only the same words in quotation marks make "the same claim": two people saying
    # similar things is corroboration, not a disagreement about who said it.
    said = {
        i: q
        for i, f in enumerate(facts)
        if f.attribution is not None and (q := _quotes(sents[i].text))
    }
    idx = sorted(said)
    parent = {i: i for i in idx}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    shared: dict[int, str] = {}
    for x, i in enumerate(idx):
        for j in idx[x + 1 :]:
            if sents[i].article == sents[j].article:
                continue
            quote = _shared_quote(said[i], said[j])
            if quote is None:
                continue
            ri, rj = root(i), root(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
            shared.setdefault(min(ri, rj), quote)
    clusters: dict[int, list[int]] = {}
    for i in idx:
        clusters.setdefault(root(i), []).append(i)
    found: list[Candidate] = []
    for head, members in sorted(clusters.items()):
        quote = next((shared[r] for r in (head, *members) if r in shared), None)
        if quote is None:
            continue
        # One version per article: its highest-scoring sentence in the cluster.
        per_article: dict[int, int] = {}
        for i in members:
            a = sents[i].article
            if a not in per_article or scores[i] > scores[per_article[a]]:
                per_article[a] = i
        chosen = [per_article[a] for a in sorted(per_article)]
        atts = {i: facts[i].attribution for i in chosen}
        named = [att for att in atts.values() if att is not None and not att.resolved]
        differs = any(
            comparable(x, y) and not same_speaker(x, y)
            for n, x in enumerate(named)
            for y in named[n + 1 :]
        )
        if not differs:
            continue
        # A resolved "he said" may point at the wrong person: keep it only when it agrees
        # with a speaker another source names outright.
        chosen = [
            i
            for i in chosen
            if (att := atts[i]) is not None
            and (not att.resolved or any(same_speaker(att, x) for x in named))
        ][:MAX_VERSIONS]
        raw = [q for i in chosen for q in _QUOTE.findall(sents[i].text)]
        shown = next((q for q in raw if _norm(q) in quote or quote in _norm(q)), quote)
        claim = f"“{shorten(shown.strip(' ,.'), 10)}”"
        versions = [
            version(articles, sents, i, atts[i].speaker)  # type: ignore[union-attr]
            for i in chosen
        ]
        score = 2.5 + 0.1 * len(chosen) + max(scores[i] for i in chosen)
        found.append(
            Candidate(
                Divergence(topic=f"Who said {claim}", kind="attribution", versions=versions),
                score,
                tuple(chosen),
            )
        )
    return found


def _negated_verbs(text: str) -> dict[str, tuple[int, int]]:
    """Stems of verbs directly negated in ``text`` ("did not notify" -> notify)."""
    tokens = tokenize(text)
    out: dict[str, tuple[int, int]] = {}
    for k, tok in enumerate(tokens):
        if tok.low not in _NEGATORS and not tok.low.endswith("n't"):
            continue
        for j in range(k + 1, min(len(tokens), k + 4)):
            low = tokens[j].low
            if low.endswith(("ed", "fy", "rm", "rn")) and len(low) > 4 and low not in ("need",):
                if stem(low) not in _SPEECH:
                    out.setdefault(stem(low), (tok.start, tokens[j].end))
                break
            if low not in _BRIDGE:
                break
    return out


def _affirmed_verbs(text: str) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    tokens = tokenize(text)
    for k, tok in enumerate(tokens):
        if not (tok.low.endswith("ed") and len(tok.low) > 4):
            continue
        # "were only informed after the strikes" affirms nothing the other side denies.
        near = {t.low for t in tokens[max(0, k - 2) : k + 5]}
        if near & _RESTRICTIVE or stem(tok.low) in _SPEECH:
            continue
        out.setdefault(stem(tok.low), (tok.start, tok.end))
    return out


def yes_no_divergences(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    space: SentenceSpace,
    scores: Sequence[float],
) -> list[Candidate]:
    negative: dict[int, dict[str, tuple[int, int]]] = {}
    positive: dict[int, dict[str, tuple[int, int]]] = {}
    for i, s in enumerate(sents):
        if _HYPOTHETICAL.search(s.text):
            continue
        neg = _negated_verbs(s.text)
        if neg:
            negative[i] = neg
        elif not _DOUBT.search(s.text):
            positive[i] = _affirmed_verbs(s.text)
    pairs: dict[str, list[tuple[int, int]]] = {}
    for n, verbs in negative.items():
        for p, affirmed in positive.items():
            if sents[n].article == sents[p].article or float(space.sim[n, p]) < SAME_STATEMENT:
                continue
            for verb in sorted(set(verbs) & set(affirmed)):
                pairs.setdefault(verb, []).append((n, p))
    found: list[Candidate] = []
    for verb, links in sorted(pairs.items()):
        noes: dict[int, int] = {}
        yeses: dict[int, int] = {}
        for n, p in links:
            for store, k in ((noes, n), (yeses, p)):
                a = sents[k].article
                if a not in store or scores[k] > scores[store[a]]:
                    store[a] = k
        # An article on both sides is torn, not one side of a disagreement.
        both = set(noes) & set(yeses)
        noes = {a: k for a, k in noes.items() if a not in both}
        yeses = {a: k for a, k in yeses.items() if a not in both}
        if not noes or not yeses:
            continue
        half = MAX_VERSIONS // 2
        keep_yes = sorted(yeses.values(), key=lambda k: -scores[k])[:half]
        keep_no = sorted(noes.values(), key=lambda k: -scores[k])[:half]
        versions = []
        for k in keep_yes:
            s, e = _affirmed_verbs(sents[k].text)[verb]
            versions.append(version(articles, sents, k, snippet(sents[k].text, s, e)))
        for k in keep_no:
            s, e = _negated_verbs(sents[k].text)[verb]
            versions.append(version(articles, sents, k, snippet(sents[k].text, s, e)))
        lead = keep_yes[0]
        s, e = _affirmed_verbs(sents[lead].text)[verb]
        phrase = snippet(sents[lead].text, s, e, before=0, after=7).strip('….,;:“”" ')
        used = tuple(keep_yes + keep_no)
        score = 2.4 + 0.1 * len(used) + max(scores[k] for k in used)
        topic, note = _yes_no_wording(articles, sents, keep_yes, keep_no, phrase)
        found.append(
            Candidate(
                Divergence(topic=topic, kind="other", versions=versions, note=note),
                score,
                used,
            )
        )
    return found


def _yes_no_wording(
    articles: Sequence[Article],
    sents: Sequence[ContentSentence],
    yes: Sequence[int],
    no: Sequence[int],
    phrase: str,
) -> tuple[str, str]:
    """Topic and note of a yes/no divergence: a plain disagreement, or a claim that the
    denying sources themselves report as made and then contradicted."""
    answering = [k for k in no if _ANSWERS_A_CLAIM.search(sents[k].text)]
    if not answering:
        return (
            f"Whether it happened: “{phrase}”",
            "Some sources affirm this; others say it did not happen.",
        )

    verb = "report" if len(answering) > 1 else "reports"
    only = "report" if len(yes) > 1 else "reports"
    correcting = labels(articles, (sents[k].article for k in answering))
    claiming = labels(articles, (sents[k].article for k in yes))
    return (
        f"Claim and correction: “{phrase}”",
        f"{correcting} {verb} the claim and that it was later contradicted; "
        f"{claiming} {only} the claim without that.",
    )
