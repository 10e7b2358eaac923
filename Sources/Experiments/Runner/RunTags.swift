/// The tag keys mltrack sets on its runs beside MLflow's own (`mlflow.user`, `mlflow.source.name`,
/// `mlflow.source.git.commit`, `mlflow.parentRunId`).
///
/// ```swift
/// run.data.tag(RunTags.version)        // "0.1.0"
/// run.data.tag(RunTags.bestChild)      // on a sweep's parent run
/// ```
public enum RunTags {
    public static let version = "mltrack.version"
    /// The error that ended the run FAILED (or KILLED).
    public static let error = "mltrack.error"
    /// Process id and host of the process running it: a RUNNING run whose process is gone is stale.
    public static let pid = "mltrack.pid"
    public static let host = "mltrack.host"
    /// On a sweep's parent: the child run with the best `sweep.select` metric.
    public static let bestChild = "mltrack.best_child_run_id"
    /// On a sweep's child: its point, `l2=0.1,test_fraction=0.2`.
    public static let sweepPoint = "mltrack.sweep_point"
    /// On a rerun: the run it reproduces.
    public static let reproduces = "mltrack.reproduces"
    /// The task of the spec (`binary_classification`, `recommendation`).
    public static let task = "mltrack.task"
    /// Why some metrics are missing (a single-class test split).
    public static let metricsNote = "mltrack.metrics_note"
    /// The registered model version a run's package became: `churn/3`.
    public static let registeredVersion = "mltrack.registered_version"
    public static let sourceType = "mlflow.source.type"
    /// MLflow's description of a run or experiment (the spec's `description`).
    public static let note = "mlflow.note.content"
}
