"""`raqib eval`: score the pipeline on a labelled corpus (the format of ../shared/corpus).

Users bring their own labelled data; the team measures every change with it.
Each line: {"id", "text", "label", "incident"?, "events"?, "gold_text"?}. The
pipeline runs in embedded mode exactly as `raqib process` would, then:

- classification: precision/recall/F1 of "security", accuracy, and the Brier
  score of `score` (how well calibrated the probability is);
- cleaning: token precision/recall/F1 of `text` against `gold_text`, micro
  (over all tokens) and macro (mean over pages);
- events: gold and predicted events of an article are paired (same type first,
  then most shared places), then type accuracy; set F1 of places (surface forms,
  compared normalised and clitic-insensitive), organizations, agencies, seized;
  accuracy of members, killed, age_min, age_max and of the absolute date, over
  all gold events and over those where the gold value is given;
- incidents: pairwise precision/recall/F1 of "these two articles report the same
  incident" against the corpus's `incident` slugs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import orjson

from agents.arabic import normalize
from streams.records import ArticleResult, RawArticle, Rejected, decode_raw, dumps

_TOKEN = re.compile(r"\w+")
COUNT_FIELDS = ("members", "killed", "age_min", "age_max")
SET_FIELDS = ("organizations", "agencies", "seized")


@dataclass
class PRF:
    tp: float = 0
    fp: float = 0
    fn: float = 0

    def add(self, predicted: Iterable[Any], gold: Iterable[Any]) -> None:
        p, g = Counter(predicted), Counter(gold)
        inter = sum((p & g).values())
        self.tp += inter
        self.fp += sum(p.values()) - inter
        self.fn += sum(g.values()) - inter

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "support": self.tp + self.fn,
        }


@dataclass
class Accuracy:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0

    def as_dict(self) -> dict[str, float]:
        return {"accuracy": self.value, "n": self.total}


@dataclass
class Report:
    articles: int = 0
    rejected: list[str] = field(default_factory=list)
    label: PRF = field(default_factory=PRF)
    label_accuracy: Accuracy = field(default_factory=Accuracy)
    brier: float = 0.0
    clean_micro: PRF = field(default_factory=PRF)
    clean_macro: list[float] = field(default_factory=list)
    event_type: Accuracy = field(default_factory=Accuracy)
    event_count: Accuracy = field(default_factory=Accuracy)
    places: PRF = field(default_factory=PRF)
    sets: dict[str, PRF] = field(default_factory=lambda: {f: PRF() for f in SET_FIELDS})
    counts: dict[str, Accuracy] = field(
        default_factory=lambda: {f: Accuracy() for f in COUNT_FIELDS}
    )
    counts_given: dict[str, Accuracy] = field(
        default_factory=lambda: {f: Accuracy() for f in COUNT_FIELDS}
    )
    date: Accuracy = field(default_factory=Accuracy)
    date_given: Accuracy = field(default_factory=Accuracy)
    incidents: PRF = field(default_factory=PRF)
    has_events: bool = False
    has_incidents: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "articles": self.articles,
            "rejected": self.rejected,
            "classification": {
                **self.label.as_dict(),
                "accuracy": self.label_accuracy.value,
                "brier": self.brier / max(1, self.articles),
            },
        }
        if self.clean_macro:
            out["cleaning"] = {
                "micro": self.clean_micro.as_dict(),
                "macro_f1": sum(self.clean_macro) / len(self.clean_macro),
                "pages": len(self.clean_macro),
            }
        if self.has_events:
            out["events"] = {
                "type": self.event_type.as_dict(),
                "events_per_article": self.event_count.as_dict(),
                "places": self.places.as_dict(),
                **{f: self.sets[f].as_dict() for f in SET_FIELDS},
                **{
                    f: {"all": self.counts[f].as_dict(), "given": self.counts_given[f].as_dict()}
                    for f in COUNT_FIELDS
                },
                "date": {"all": self.date.as_dict(), "given": self.date_given.as_dict()},
            }
        if self.has_incidents:
            out["incidents"] = self.incidents.as_dict()
        return out


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalize(text))


def place_key(surface: str) -> str:
    return " ".join(normalize(surface).split())


def _strip_clitic(key: str) -> str:
    return key[1:] if len(key) > 3 and key[0] in "وبلف" else key


def place_pairs(predicted: list[str], gold: list[str]) -> tuple[int, int, int]:
    """(tp, fp, fn) of place surface forms: exact after normalising, then clitic-insensitive."""
    p = [place_key(s) for s in predicted]
    g = [place_key(s) for s in gold]
    tp = 0
    for key in list(p):
        if key in g:
            g.remove(key)
            p.remove(key)
            tp += 1
    for key in list(p):
        match = next((x for x in g if _strip_clitic(x) == _strip_clitic(key)), None)
        if match is not None:
            g.remove(match)
            p.remove(key)
            tp += 1
    return tp, len(p), len(g)


def _pair_events(
    predicted: list[dict[str, Any]], gold: list[dict[str, Any]]
) -> list[tuple[Any, Any]]:
    """Pair gold and predicted events: same type first, then most shared places."""
    pairs: list[tuple[Any, Any]] = []
    left = list(predicted)
    for g in gold:
        if not left:
            pairs.append((None, g))
            continue
        gold_places = {place_key(s) for s in g.get("places", [])}

        def score(
            p: dict[str, Any], g: dict[str, Any] = g, gp: set[str] = gold_places
        ) -> tuple[int, int]:
            shared = len(gp & {place_key(x["surface"]) for x in p["places"]})
            return (p["type"] == g["type"], shared)

        best = max(left, key=score)
        left.remove(best)
        pairs.append((best, g))
    pairs.extend((p, None) for p in left)
    return pairs


def score_article(report: Report, gold: dict[str, Any], result: ArticleResult | None) -> None:
    predicted = orjson.loads(dumps(result)) if result is not None else None
    label = predicted["label"] if predicted else "unrelated"
    score = predicted["score"] if predicted else 0.0
    is_security = gold["label"] == "security"
    report.label.add(
        ["security"] if label == "security" else [], ["security"] if is_security else []
    )
    report.label_accuracy.add(label == gold["label"])
    report.brier += (score - (1.0 if is_security else 0.0)) ** 2
    if gold.get("gold_text") is not None:
        p, g = tokens(predicted["text"] if predicted else ""), tokens(gold["gold_text"])
        page = PRF()
        page.add(p, g)
        report.clean_micro.add(p, g)
        report.clean_macro.append(page.f1)
    if "events" not in gold:
        return
    report.has_events = True
    pred_events = predicted["events"] if predicted else []
    report.event_count.add(len(pred_events) == len(gold["events"]))
    for p, g in _pair_events(pred_events, gold["events"]):
        p_places = [x["surface"] for x in p["places"]] if p else []
        g_places = list(g.get("places", [])) if g else []
        tp, fp, fn = place_pairs(p_places, g_places)
        report.places.tp += tp
        report.places.fp += fp
        report.places.fn += fn
        for f in SET_FIELDS:
            report.sets[f].add(p[f] if p else [], g.get(f, []) if g else [])
        if g is None:
            continue
        report.event_type.add(p is not None and p["type"] == g["type"])
        for f in COUNT_FIELDS:
            ok = (p[f] if p else None) == g.get(f)
            report.counts[f].add(ok)
            if g.get(f) is not None:
                report.counts_given[f].add(ok)
        ok = (p["date"] if p else None) == g.get("date")
        report.date.add(ok)
        if g.get("date") is not None:
            report.date_given.add(ok)


def score_incidents(
    report: Report, gold: dict[str, str | None], predicted: dict[str, set[str]]
) -> None:
    """Pairwise: two articles are together if gold slugs agree / predicted incident ids overlap."""
    ids = sorted(gold)
    report.has_incidents = True
    for a, b in combinations(ids, 2):
        together_gold = gold[a] is not None and gold[a] == gold[b]
        together_pred = bool(predicted.get(a, set()) & predicted.get(b, set()))
        if together_pred and together_gold:
            report.incidents.tp += 1
        elif together_pred:
            report.incidents.fp += 1
        elif together_gold:
            report.incidents.fn += 1


def evaluate(rows: list[dict[str, Any]], max_bytes: int = 2_000_000) -> Report:
    from agents.pipeline import Embedded

    report = Report(articles=len(rows))
    raws: list[RawArticle] = []
    for row in rows:
        value = orjson.dumps({"id": row["id"], "url": row.get("source_url"), "text": row["text"]})
        try:
            raws.append(decode_raw(value, None, max_bytes))
        except Rejected as exc:
            report.rejected.append(f"{row['id']}: {exc.reason}")
    results: dict[str, ArticleResult] = {}
    for raw, outcome in Embedded().run_outcomes(raws):
        if isinstance(outcome, ArticleResult):
            results[raw.id] = outcome
        else:
            report.rejected.append(f"{raw.id}: {outcome.reason}: {outcome.detail[:120]}")
    for row in rows:
        score_article(report, row, results.get(row["id"]))
    if any("incident" in row for row in rows):
        predicted = {
            i: {e.incident_id for e in r.events if e.incident_id} for i, r in results.items()
        }
        if any(predicted.values()):
            score_incidents(report, {row["id"]: row.get("incident") for row in rows}, predicted)
    return report


def format_report(report: Report, name: str) -> str:
    d = report.as_dict()
    c = d["classification"]
    lines = [f"{name}: {report.articles} articles, {len(report.rejected)} rejected"]
    lines += [f"  rejected {r}" for r in report.rejected]
    lines.append(
        f"  classification  P={c['precision']:.3f} R={c['recall']:.3f} F1={c['f1']:.3f} "
        f"accuracy={c['accuracy']:.3f} brier={c['brier']:.4f}"
    )
    if "cleaning" in d:
        m = d["cleaning"]["micro"]
        lines.append(
            f"  cleaning        token P={m['precision']:.3f} R={m['recall']:.3f} F1={m['f1']:.3f} "
            f"(micro); macro F1={d['cleaning']['macro_f1']:.3f} over {d['cleaning']['pages']} pages"
        )
    if "events" in d:
        e = d["events"]
        lines.append(
            f"  event type      accuracy={e['type']['accuracy']:.3f} (n={e['type']['n']}); "
            f"events per article right={e['events_per_article']['accuracy']:.3f}"
        )
        for f in ("places", *SET_FIELDS):
            lines.append(
                f"  {f:15} P={e[f]['precision']:.3f} R={e[f]['recall']:.3f} F1={e[f]['f1']:.3f} "
                f"(gold {int(e[f]['support'])})"
            )
        for f in (*COUNT_FIELDS, "date"):
            a, g = e[f]["all"], e[f]["given"]
            lines.append(
                f"  {f:15} accuracy={a['accuracy']:.3f} (n={a['n']}); "
                f"where gold is given {g['accuracy']:.3f} (n={g['n']})"
            )
    if "incidents" in d:
        i = d["incidents"]
        lines.append(
            f"  incidents       pairwise P={i['precision']:.3f} R={i['recall']:.3f} "
            f"F1={i['f1']:.3f}"
        )
    return "\n".join(lines)
