#!/usr/bin/python3
"""The scikit-learn side of `Ferry.Bench automl`.

For each sample: one split as samples/README.md makes it (train_test_split(test_size=0.2, random_state=0,
stratify=label; no stratification for regression)), written as train.csv and test.csv (the sample's own lines, so
Ferry reads exactly the rows scikit-learn fits), then scikit-learn's defaults fitted on train and scored on test:
LogisticRegression (Ridge for regression), RandomForest and HistGradientBoosting. Each model gets the least
preprocessing that lets it run: median imputation of numbers, most-frequent imputation and one-hot encoding of
text columns, and standard scaling for the linear model (as in samples/README.md's table, which this reproduces).

Metrics: ROC-AUC for binary labels, macro-F1 for multiclass, R2 for regression (label `target`).

Usage: /usr/bin/python3 bench/automl/sklearn_defaults.py SAMPLES_DIR OUT_DIR [NAME ...]
Writes OUT_DIR/NAME/train.csv, OUT_DIR/NAME/test.csv and OUT_DIR/sklearn.json. Needs Debian's python3-sklearn.
"""

import csv
import json
import os
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn import metrics
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import (HistGradientBoostingClassifier, HistGradientBoostingRegressor,
                              RandomForestClassifier, RandomForestRegressor)
from sklearn.exceptions import ConvergenceWarning
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SAMPLES = ["breast_cancer", "diabetes", "digits", "iris", "penguins", "wine"]


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows = list(csv.reader(lines))
    return lines, rows[0], rows[1:]


def is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def features(header, data):
    """An object matrix: floats (NaN when empty) for numeric columns, strings (NaN when empty) for the rest."""
    columns = list(zip(*[r[:-1] for r in data]))
    numeric = [all(v == "" or is_number(v) for v in c) for c in columns]
    x = np.array([[(float(v) if numeric[j] else v) if v != "" else np.nan for j, v in enumerate(r[:-1])] for r in data], dtype=object)
    return x, [j for j, n in enumerate(numeric) if n], [j for j, n in enumerate(numeric) if not n]


def preprocessing(numeric, text, scale):
    steps = [SimpleImputer(strategy="median")] + ([StandardScaler()] if scale else [])
    parts = [("num", make_pipeline(*steps), numeric)]
    if text:
        parts.append(("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), text))
    return ColumnTransformer(parts)


def models(task):
    if task == "regression":
        return [("Ridge", Ridge(), True), ("RandomForest", RandomForestRegressor(random_state=0), False),
                ("HistGradientBoosting", HistGradientBoostingRegressor(random_state=0), False)]
    return [("LogisticRegression", LogisticRegression(), True), ("RandomForest", RandomForestClassifier(random_state=0), False),
            ("HistGradientBoosting", HistGradientBoostingClassifier(random_state=0), False)]


def score(task, model, x, y):
    if task == "regression":
        return "r2", metrics.r2_score(y, model.predict(x))
    if task == "binary":
        # Column 1 of predict_proba is the second class in sorted order, as Ferry's class index 1.
        return "roc_auc", metrics.roc_auc_score(y == model.classes_[1], model.predict_proba(x)[:, 1])
    return "macro_f1", metrics.f1_score(y, model.predict(x), average="macro")


def run(samples_dir, out_dir, name):
    lines, header, data = read(os.path.join(samples_dir, name + ".csv"))
    label = header[-1]
    regression = label == "target"
    y = np.array([float(r[-1]) if regression else r[-1] for r in data], dtype=float if regression else object)
    task = "regression" if regression else "binary" if len(set(y)) == 2 else "multiclass"
    x, numeric, text = features(header, data)
    train, test = train_test_split(np.arange(len(data)), test_size=0.2, random_state=0, stratify=None if regression else y)

    folder = os.path.join(out_dir, name)
    os.makedirs(folder, exist_ok=True)
    for part, rows in (("train", train), ("test", test)):
        with open(os.path.join(folder, part + ".csv"), "w", encoding="utf-8", newline="") as f:
            f.write("\n".join([lines[0]] + [lines[i + 1] for i in rows]) + "\n")

    results = []
    for model_name, estimator, scale in models(task):
        pipeline = make_pipeline(preprocessing(numeric, text, scale), estimator)
        started = time.perf_counter()
        pipeline.fit(x[train], y[train])
        fitted = time.perf_counter()
        metric, value = score(task, pipeline, x[test], y[test])
        results.append({"name": model_name, "score": value, "fit_seconds": fitted - started,
                        "seconds": time.perf_counter() - started})
    return {"dataset": name, "label": label, "task": task, "metric": metric, "train_rows": len(train),
            "test_rows": len(test), "models": results}


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    samples_dir, out_dir, names = argv[1], argv[2], argv[3:] or SAMPLES
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    os.makedirs(out_dir, exist_ok=True)
    report = {"sklearn": sklearn.__version__, "datasets": [run(samples_dir, out_dir, n) for n in names]}
    with open(os.path.join(out_dir, "sklearn.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
