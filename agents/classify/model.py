"""Security-vs-unrelated scoring: lexicon evidence in, calibrated probability out.

Features are few and general on purpose (one per lexicon category, a handful of
interactions and a length term) so that weights fitted on a small training set
carry over to pages nobody has seen; a bag of words would memorise the training
set's vocabulary instead. The score is a logistic regression, so it is a
probability by construction; its calibration is checked on the evaluation
corpus (`raqib eval` prints the Brier score).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import orjson

from agents.arabic import normalize
from agents.matcher import TermMatcher

from .lexicon import SECURITY, UNRELATED

MODEL_PATH = Path(__file__).parent / "data" / "model.json"
THRESHOLD = 0.5  # label cut: the score is a probability, so 0.5 is the Bayes cut

CATEGORIES = tuple(SECURITY) + tuple(UNRELATED)
# Co-occurrences that mean far more together than apart (a cell + terrorism words,
# an operation + suspects or contraband, an attack on soldiers).
INTERACTIONS = (
    ("terror", "operation"),
    ("operation", "suspect"),
    ("operation", "drugs"),
    ("operation", "weapon"),
    ("violence", "military"),
    ("cell", "terror"),
    ("agency", "operation"),
    ("agency", "institution"),
)
_PAIRS = tuple((f"{a}*{b}", a, b) for a, b in INTERACTIONS)  # (feature name, a, b)
FEATURES = (*CATEGORIES, *(name for name, _, _ in _PAIRS), "bias")

# Used until a fitted model.json exists; fitted weights replace them (train.py).
# fmt: off
DEFAULT_WEIGHTS = {
    "terror": 1.6, "operation": 0.8, "cell": 0.6, "suspect": 0.8, "weapon": 0.7, "drugs": 1.2,
    "violence": 0.7, "agency": 0.6, "military": 0.3, "sports": -1.2, "economy": -0.9,
    "weather": -1.2, "traffic": -1.0, "society": -0.6, "terror*operation": 0.8,
    "operation*suspect": 0.6, "operation*drugs": 0.6, "operation*weapon": 0.5,
    "violence*military": 0.5, "cell*terror": 0.6, "agency*operation": 0.4, "institution": 0.2,
    "agency*institution": 1.0, "bias": -2.2,
}
# fmt: on


@dataclass(frozen=True, slots=True)
class Classification:
    label: str
    score: float
    reasons: list[str]


def _build_matcher() -> TermMatcher[str]:
    terms = [
        (term, category, tail)
        for lexicon in (SECURITY, UNRELATED)
        for category, entries in lexicon.items()
        for term, tail in entries
    ]
    return TermMatcher(terms)


def features(counts: Counter[str]) -> dict[str, float]:
    """Model inputs from per-category hit counts (log-scaled: the 10th hit adds little)."""
    x = {c: math.log1p(counts.get(c, 0)) for c in CATEGORIES}
    for name, a, b in _PAIRS:
        x[name] = math.sqrt(x[a] * x[b])
    x["bias"] = 1.0
    return x


class Classifier:
    """Scores a text; holds the matcher and the weights, built once per process."""

    def __init__(self, weights: dict[str, float] | None = None, threshold: float = THRESHOLD):
        if weights is None:
            weights = self._load()
        self.weights = {f: float(weights.get(f, 0.0)) for f in FEATURES}
        self.threshold = threshold

    @staticmethod
    def _load() -> dict[str, float]:
        if MODEL_PATH.exists():
            return dict(orjson.loads(MODEL_PATH.read_bytes())["weights"])
        return DEFAULT_WEIGHTS

    @cached_property
    def matcher(self) -> TermMatcher[str]:
        return _build_matcher()

    def evidence(
        self, text: str, normalized: bool = False
    ) -> tuple[Counter[str], Counter[tuple[str, str]]]:
        """Hit counts per category and per (category, term) in `text`."""
        matches = self.matcher.find(text if normalized else normalize(text))
        by_term = Counter((match.value, match.term) for match in matches)  # counted in C
        by_category: Counter[str] = Counter()
        for (category, _), n in by_term.items():
            by_category[category] += n
        return by_category, by_term

    def classify(
        self, title: str | None, text: str, normalized_text: str | None = None
    ) -> Classification:
        """`normalized_text`: normalize(text), when the caller has it already."""
        if normalized_text is None:
            normalized_text = normalize(text)
        full = f"{normalize(title)}\n{normalized_text}" if title else normalized_text
        by_category, by_term = self.evidence(full, normalized=True)
        x = features(by_category)
        z = sum(self.weights[f] * v for f, v in x.items())
        score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        label = "security" if score >= self.threshold else "unrelated"
        return Classification(label, round(score, 4), self._reasons(by_term, label))

    def _reasons(self, by_term: Counter[tuple[str, str]], label: str) -> list[str]:
        """The terms that pushed toward the label, strongest first: what an analyst checks."""
        sign = 1.0 if label == "security" else -1.0
        ranked = sorted(
            ((self.weights[c] * sign * n, f"{c}:{t}") for (c, t), n in by_term.items()),
            reverse=True,
        )
        return [reason for weight, reason in ranked[:8] if weight > 0]
