"""Other model families on the content classifier's own features, cross-validated as
scripts/train-sections.ts does with `--cv-only --repeats 3 --cv-web 1` (the same folds: own texts
always train; dev-set train pages and web training pages held out; the eval split never read).

A research aid, not part of the build (docs/QUALITY.md "Round 7"): it asks whether another
learner on the same bag of stems does clearly better than the shipped lexicon + logistic
regression. It needs Python 3 with scikit-learn (`pip install scikit-learn`), which newsflow
itself does not use:

    npm run train:sections -- --export /tmp/section-texts.json
    python3 scripts/explore/model-families.py /tmp/section-texts.json [--mlp] [--ensembles]
"""

import itertools
import json
import math
import sys

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression, RidgeClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.neural_network import MLPClassifier
from sklearn.svm import LinearSVC

data = json.load(open(sys.argv[1]))
classes = data["classes"]
focus = [classes.index(c) for c in data["focus"]]
texts = data["texts"]
C = len(classes)
index = {c: k for k, c in enumerate(classes)}

# The term list and lexicon weights are the training script's own (--export writes them).
term_index = {t: k for k, t in enumerate(data["terms"])}
V = len(term_index)
# The lexicon weights' per-section sums become 15 extra columns ("lexicon columns").
L = np.zeros((V, C))
for term, pairs in data["lexicon"].items():
    for c, w in zip(pairs[::2], pairs[1::2]):
        L[term_index[term], c] = w


def matrix(scale):
    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        pairs = [(term_index[s], scale(n)) for s, n in t["counts"].items()]
        norm = math.sqrt(sum(v * v for _, v in pairs)) or 1
        for c, v in pairs:
            rows.append(r)
            cols.append(c)
            vals.append(v / norm)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), V))


X = matrix(math.log1p)  # log(1 + count), L2-normalized: the shipped model's input
X_lex = sp.hstack([X, sp.csr_matrix(X @ L)]).tocsr()
X_counts = matrix(float)
y = np.array([index[t["label"]] for t in texts])
held_texts = [i for i, t in enumerate(texts) if t["kind"] in ("page", "web")]


def fold_of(repeat):
    """foldOf of train-sections.ts over the held-out texts; -1: always trains (own texts)."""
    f = np.full(len(texts), -1)
    for i, text in enumerate(held_texts):
        f[text] = (i + (i // 5) * repeat) % 5
    return f


def scores(model, Xt):
    z = np.full((Xt.shape[0], C), -30.0)
    if hasattr(model, "decision_function"):
        z[:, model.classes_] = model.decision_function(Xt)
    else:
        z[:, model.classes_] = np.log(model.predict_proba(Xt) + 1e-9)
    return z


def held_out_scores(make, Xm, repeats=3):
    """Each held-out text's scores, once per partition (rows of own texts stay unused)."""
    out = []
    for r in range(repeats):
        f = fold_of(r)
        z = np.zeros((len(texts), C))
        for fold in range(5):
            train = np.where(f != fold)[0]
            test = np.where(f == fold)[0]
            z[test] = scores(make().fit(Xm[train], y[train]), Xm[test])
        out.append(z)
    return out


def figures(per_repeat):
    dev5 = devN = devTop = devAll = web5 = webN = 0
    for r, z in enumerate(per_repeat):
        for i in np.where(fold_of(r) >= 0)[0]:
            five = focus[int(np.argmax(z[i, focus]))]
            is_focus = y[i] in focus
            if texts[i]["kind"] == "page":
                devAll += 1
                devTop += int(np.argmax(z[i])) == y[i]
                devN += is_focus
                dev5 += is_focus and five == y[i]
            elif texts[i]["sample"] == "neutral" and is_focus:
                webN += 1
                web5 += five == y[i]
    return f"{dev5}/{devN} | {devTop}/{devAll} | {web5}/{webN}"


learners = {
    "logistic regression, C 10, lexicon columns": (lambda: LogisticRegression(C=10, max_iter=2000), X_lex),
    "linear SVM, C 3, lexicon columns": (lambda: LinearSVC(C=3), X_lex),
    "ridge classifier, alpha 0.3, lexicon columns": (lambda: RidgeClassifier(alpha=0.3), X_lex),
    "complement naive Bayes, alpha 0.3, counts": (lambda: ComplementNB(alpha=0.3), X_counts),
}
if "--mlp" in sys.argv:
    learners["one hidden layer of 128 (ReLU, Adam, 40 epochs), lexicon columns"] = (
        lambda: MLPClassifier(hidden_layer_sizes=(128,), max_iter=40, random_state=0),
        X_lex,
    )
print("| learner | dev five-way | dev all top | neutral web five-way |\n| --- | --- | --- | --- |")
held = {}
for name, (make, Xm) in learners.items():
    held[name] = held_out_scores(make, Xm)
    print(f"| {name} | {figures(held[name])} |", flush=True)

if "--ensembles" in sys.argv:
    # Every combination of two or more learners: the sum of their scores, each standardized per
    # text (mean 0, deviation 1 over the fifteen sections) so that no learner's scale dominates.
    standard = {
        name: [(z - z.mean(1, keepdims=True)) / (z.std(1, keepdims=True) + 1e-9) for z in zs]
        for name, zs in held.items()
    }
    print("\n| ensemble | dev five-way | dev all top | neutral web five-way |\n| --- | --- | --- | --- |")
    for k in range(2, len(held) + 1):
        for combo in itertools.combinations(held, k):
            summed = [sum(standard[name][r] for name in combo) for r in range(3)]
            short = " + ".join(name.split(",")[0].split(" (")[0] for name in combo)
            print(f"| {short} | {figures(summed)} |", flush=True)
