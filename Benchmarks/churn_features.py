"""The date transforms of the sklearn churn peer (Benchmarks/churn_sklearn.py), in a module of their own
so the saved model (skops) names them by module and `mlflow models serve` imports them from the
model's code/ folder (save_model(code_paths=[this file])).
"""
import numpy as np
import pandas as pd

NUMERIC = ['tenure_months', 'monthly_charges', 'total_charges', 'support_calls']
BOOLEAN = ['partner', 'senior']
CATEGORICAL = ['contract', 'payment_method', 'region']
DATES = ['signup_date', 'last_active']
FEATURES = NUMERIC + BOOLEAN + CATEGORICAL + DATES

SIGNUP_REFERENCE = np.datetime64('2025-01-01T00:00:00', 'us')
# mltrack takes last_active's age relative to the training data's latest activity (2024-12-31 for
# the sample table); a fixed reference here keeps the saved pipeline free of state outside sklearn.
LAST_ACTIVE_REFERENCE = np.datetime64('2025-01-01T00:00:00', 'us')


def _as_naive_us(col):
    """A column as naive UTC datetime64[us] (no copy work when it already is a naive datetime)."""
    s = col if isinstance(col, pd.Series) else pd.Series(np.asarray(col).ravel())
    if s.dtype.kind == 'M' and getattr(s.dtype, 'tz', None) is None:
        return s.astype('datetime64[us]')
    return pd.to_datetime(s, utc=True).dt.tz_localize(None).astype('datetime64[us]')


def signup_age_days(frame):
    s = _as_naive_us(frame.iloc[:, 0])
    return ((SIGNUP_REFERENCE - s.to_numpy()) / np.timedelta64(1, 'D')).astype(np.float64).reshape(-1, 1)


def last_active_parts(frame):
    s = _as_naive_us(frame.iloc[:, 0])
    age = ((LAST_ACTIVE_REFERENCE - s.to_numpy()) / np.timedelta64(1, 'D')).astype(np.float64)
    return pd.DataFrame({'age_days': age, 'dow': s.dt.dayofweek.to_numpy()})


def to_float(frame):
    return frame.astype(np.float64).to_numpy()
