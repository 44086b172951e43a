"""Fit the classifier's weights on the team's own training set: data/train.jsonl -> data/model.json.

    python -m agents.classify.train

An L2-regularised logistic regression over the lexicon features of model.py,
fitted by Newton's method (a few dozen features: exact and fast in plain
Python). The regularisation strength is chosen by 5-fold cross-validation on
the training set itself; the evaluation corpus is never read here. Labels are
weighted to count equally, so the intercept does not learn the set's mix.
"""

from __future__ import annotations

import hashlib
import math
import random
from pathlib import Path

import orjson

from .model import FEATURES, MODEL_PATH, Classifier, features

TRAIN_PATH = Path(__file__).parent / "data" / "train.jsonl"
LAMBDAS = (0.03, 0.1, 0.3, 1.0, 3.0)
FOLDS = 5


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a is small and positive definite)."""
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col] != 0.0:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(xs: list[list[float]], ys: list[int], ws: list[float], lam: float) -> list[float]:
    """Weighted L2 logistic regression by Newton-Raphson (bias is the last, unpenalised column)."""
    d = len(xs[0])
    beta = [0.0] * d
    for _ in range(50):
        grad = [lam * beta[j] if j < d - 1 else 0.0 for j in range(d)]
        hess = [[(lam if i == j and i < d - 1 else 0.0) for j in range(d)] for i in range(d)]
        for x, y, w in zip(xs, ys, ws, strict=True):
            z = sum(b * v for b, v in zip(beta, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = w * (p - y)
            h = w * p * (1.0 - p)
            for i in range(d):
                if x[i]:
                    grad[i] += g * x[i]
                    xi = h * x[i]
                    row = hess[i]
                    for j in range(d):
                        if x[j]:
                            row[j] += xi * x[j]
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return beta


def _predict(beta: list[float], x: list[float]) -> float:
    z = sum(b * v for b, v in zip(beta, x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def load(classifier: Classifier) -> tuple[list[list[float]], list[int], list[float]]:
    rows = [orjson.loads(line) for line in TRAIN_PATH.read_bytes().splitlines() if line.strip()]
    xs, ys = [], []
    for row in rows:
        by_category, _ = classifier.evidence(row["text"])
        x = features(by_category)
        xs.append([x[f] for f in FEATURES])
        ys.append(1 if row["label"] == "security" else 0)
    positives = sum(ys)
    ws = [len(ys) / (2 * positives) if y else len(ys) / (2 * (len(ys) - positives)) for y in ys]
    return xs, ys, ws


def cross_validate(
    xs: list[list[float]], ys: list[int], ws: list[float], lam: float
) -> dict[str, float]:
    order = list(range(len(xs)))
    random.Random(7).shuffle(order)
    brier = correct = 0.0
    for fold in range(FOLDS):
        test = set(order[fold::FOLDS])
        train = [i for i in order if i not in test]
        beta = fit([xs[i] for i in train], [ys[i] for i in train], [ws[i] for i in train], lam)
        for i in test:
            p = _predict(beta, xs[i])
            brier += (p - ys[i]) ** 2
            correct += (p >= 0.5) == bool(ys[i])
    return {"brier": brier / len(xs), "accuracy": correct / len(xs)}


def main() -> None:
    classifier = Classifier(weights={})
    xs, ys, ws = load(classifier)
    scores = {lam: cross_validate(xs, ys, ws, lam) for lam in LAMBDAS}
    for lam, s in scores.items():
        print(f"lambda={lam:<5} cv accuracy={s['accuracy']:.3f} brier={s['brier']:.4f}")
    best = min(LAMBDAS, key=lambda lam: scores[lam]["brier"])
    beta = fit(xs, ys, ws, best)
    weights = {f: round(b, 4) for f, b in zip(FEATURES, beta, strict=True)}
    model = {
        "weights": weights,
        "lambda": best,
        "cv": scores[best],
        "trained_on": {
            "file": "agents/classify/data/train.jsonl",
            "sha1": hashlib.sha1(TRAIN_PATH.read_bytes()).hexdigest(),
            "examples": len(ys),
            "security": sum(ys),
        },
    }
    MODEL_PATH.write_bytes(orjson.dumps(model, option=orjson.OPT_INDENT_2) + b"\n")
    print(f"lambda={best}: weights written to {MODEL_PATH}")
    for f, b in sorted(weights.items(), key=lambda kv: -abs(kv[1])):
        print(f"  {f:24} {b:+.3f}")


if __name__ == "__main__":
    main()
