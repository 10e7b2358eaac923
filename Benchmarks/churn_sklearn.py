"""The MLflow peer of mltrack's churn model: an sklearn pipeline of the same shape.

Same input columns as Experiments/features/churn.yaml (the 11 feature columns of the customers
table), the same transforms (impute + standardize the numerics, booleans as 0/1, one-hot the
categoricals with unseen values ignored and region's nulls as their own category, dates as age in
days + last activity's weekday), then an L2 LogisticRegression (C=1), fit on a seeded 80 % of the
rows. Saved with `mlflow.sklearn.save_model` (skops, MLflow's default format, with a signature, an
input example and churn_features.py as code) so `mlflow models serve -m DIR --env-manager local`
serves it (loading needs MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true); its pyfunc answers predict_proba.

Usage:
  python churn_sklearn.py train GOLD_TABLE MODEL_DIR            # fit + mlflow.sklearn.save_model
  python churn_sklearn.py score MODEL_DIR INPUT_TABLE OUT_TABLE  # batch: the pandas peer of `mltrack score`
The score mode prints one JSON line {"rows", "seconds", "read_s", "predict_s", "write_s"}; its timed
region is the whole job (deltalake read -> pandas -> predict_proba -> write_deltalake, overwrite).
"""
import json
import warnings
import os
import sys
import time

import numpy as np
import pandas as pd

from churn_features import BOOLEAN, FEATURES, last_active_parts, signup_age_days, to_float

FEATURES_MODULE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'churn_features.py')

LABEL = 'churned'
ID = 'customer_id'


def build_pipeline():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

    mean_std = make_pipeline(SimpleImputer(strategy='mean'), StandardScaler())
    dow = ColumnTransformer([
        ('age', StandardScaler(), ['age_days']),
        ('dow', OneHotEncoder(categories=[list(range(7))], handle_unknown='ignore', sparse_output=False), ['dow']),
    ])
    features = ColumnTransformer([
        ('tenure_charges', mean_std, ['tenure_months', 'monthly_charges']),
        ('total', make_pipeline(SimpleImputer(strategy='constant', fill_value=0.0), StandardScaler()),
         ['total_charges']),
        ('calls', SimpleImputer(strategy='median'), ['support_calls']),
        ('bools', FunctionTransformer(to_float), BOOLEAN),
        ('cats', make_pipeline(SimpleImputer(strategy='constant', fill_value='__null__'),
                               OneHotEncoder(handle_unknown='infrequent_if_exist', min_frequency=1, sparse_output=False)),
         ['contract', 'payment_method']),
        ('region', make_pipeline(SimpleImputer(strategy='constant', fill_value='__null__'),
                                 OneHotEncoder(handle_unknown='infrequent_if_exist', min_frequency=20, sparse_output=False)),
         ['region']),
        ('signup', make_pipeline(FunctionTransformer(signup_age_days), StandardScaler()), ['signup_date']),
        ('last_active', make_pipeline(FunctionTransformer(last_active_parts), dow), ['last_active']),
    ])
    return Pipeline([('features', features), ('model', LogisticRegression(C=1.0, max_iter=200))])


def read_table(path):
    from deltalake import DeltaTable
    return DeltaTable(path).to_pandas()


def to_model_frame(df):
    """The feature columns, with dates as datetime64 (the signature's `datetime`)."""
    x = df[FEATURES].copy()
    x['signup_date'] = pd.to_datetime(x['signup_date'])
    x['last_active'] = pd.to_datetime(x['last_active'], utc=True).dt.tz_localize(None)
    return x


def train(table, out):
    import mlflow.sklearn
    from mlflow.models import infer_signature
    df = read_table(table)
    x, y = to_model_frame(df), df[LABEL].astype(np.int64).to_numpy()
    rng = np.random.default_rng(42)
    train_rows = rng.permutation(len(x))[: int(round(len(x) * 0.8))]
    pipe = build_pipeline().fit(x.iloc[train_rows], y[train_rows])
    proba = pipe.predict_proba(x.head(5))
    signature = infer_signature(x, pipe.predict_proba(x))  # all rows: total_charges and region hold nulls
    import skops.io
    trusted = skops.io.get_untrusted_types(data=skops.io.dumps(pipe))
    mlflow.sklearn.save_model(pipe, out, signature=signature, input_example=x.head(5),
                              pyfunc_predict_fn='predict_proba', code_paths=[FEATURES_MODULE],
                              skops_trusted_types=trusted)
    print(json.dumps({'model': out, 'rows': int(len(train_rows)), 'first_proba': float(proba[0, 1])}))


def score(model_dir, table, out):
    """End to end, as a user would: load the pyfunc, read, predict, write (all timed but the model load)."""
    import mlflow.sklearn
    from deltalake import write_deltalake
    pipe = mlflow.sklearn.load_model(model_dir)
    t0 = time.perf_counter()
    df = read_table(table)
    x = to_model_frame(df)
    t1 = time.perf_counter()
    p = pipe.predict_proba(x)[:, 1]
    t2 = time.perf_counter()
    result = pd.DataFrame({ID: df[ID], 'probability': p, 'label': (p >= 0.5).astype(np.int64)})
    write_deltalake(out, result, mode='overwrite')
    t3 = time.perf_counter()
    print(json.dumps({'rows': int(len(df)), 'seconds': t3 - t0, 'read_s': t1 - t0, 'predict_s': t2 - t1,
                      'write_s': t3 - t2}))


def main():
    os.environ.setdefault('MLFLOW_DISABLE_TELEMETRY', 'true')
    os.environ.setdefault('MLFLOW_ALLOW_PICKLE_DESERIALIZATION', 'true')
    warnings.filterwarnings('ignore', category=UserWarning)
    if len(sys.argv) == 4 and sys.argv[1] == 'train':
        train(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == 'score':
        score(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main()
