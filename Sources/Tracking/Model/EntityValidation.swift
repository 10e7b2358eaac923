/// MLflow's input rules for keys and values (`mlflow/utils/validation.py`), applied by every store
/// before writing: names of metrics, params and tags may contain only alphanumerics, `_ - . /`,
/// space and `:`, must not be empty and must not change under path normalisation (`a//b`, `./a`,
/// `../a`, `/a`); lengths are limited as MLflow limits them. Violations throw
/// `INVALID_PARAMETER_VALUE` naming the field.
///
/// ```swift
/// try EntityValidation.validateParam(Param(key: "l2", value: "1.0"))
/// ```
public enum EntityValidation {
    public static let maxKeyLength = 250
    public static let maxParamValueLength = 6000
    public static let maxRunTagValueLength = 8000
    public static let maxExperimentNameLength = 500
    public static let maxExperimentTagValueLength = 20000
    public static let maxDatasetNameLength = 500
    public static let maxDatasetDigestLength = 36
    public static let maxDatasetSourceLength = 65535
    public static let maxDatasetSchemaLength = 1_048_575
    public static let maxDatasetProfileLength = 16_777_215
    public static let maxInputTagKeyLength = 255
    public static let maxInputTagValueLength = 500
    public static let maxMetricsPerBatch = 1000
    public static let maxParamsPerBatch = 100
    public static let maxTagsPerBatch = 100
    public static let maxEntitiesPerBatch = 1000
    public static let maxSearchResults = 50000

    static func invalid(_ message: String) -> TrackingError { TrackingError(.invalidParameterValue, message) }

    /// A metric, param or tag name.
    public static func validateName(_ name: String, field: String) throws {
        let ok = name.unicodeScalars.allSatisfy { s in
            s == "/" || s == "_" || s == "." || s == "-" || s == " " || s == ":"
                || s.properties.isAlphabetic || s.properties.numericType == .decimal
        }
        guard ok else {
            throw invalid("Invalid value '\(name)' for parameter '\(field)': names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).")
        }
        let norm = normalizedPath(name)
        guard norm == name, norm != ".", !norm.hasPrefix(".."), !norm.hasPrefix("/") else {
            throw invalid("Invalid value '\(name)' for parameter '\(field)': names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '\(norm)'.")
        }
        try validateLength(name, max: maxKeyLength, field: field)
    }

    /// Also refuses a NUL character: SQLite text comes back through GRDB as a C string, so a value
    /// with a NUL would be read back cut short (MLflow stores it whole); refusing it keeps every
    /// stored value exactly what was sent.
    static func validateLength(_ value: String, max: Int, field: String) throws {
        if value.utf8.contains(0) {
            throw invalid("'\(field)' contains a NUL character (U+0000), which mltrack does not store")
        }
        if value.count > max {
            throw invalid("'\(field)' exceeds the maximum length of \(max) characters")
        }
    }

    /// POSIX path normalisation as Python's `posixpath.normpath` does it.
    static func normalizedPath(_ path: String) -> String {
        if path.isEmpty { return "." }
        let leading = path.hasPrefix("/") ? (path.hasPrefix("//") && !path.hasPrefix("///") ? 2 : 1) : 0
        var parts: [Substring] = []
        for comp in path.split(separator: "/", omittingEmptySubsequences: true) {
            if comp == "." { continue }
            if comp == ".." {
                if leading == 0 && (parts.isEmpty || parts.last == "..") { parts.append(comp) } else if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(comp)
        }
        let joined = String(repeating: "/", count: leading) + parts.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    public static func validateMetric(_ m: Metric, field: String = "metric") throws {
        try validateName(m.key, field: "\(field).key")
        if m.timestamp < 0 {
            throw invalid("Invalid value \(m.timestamp) for parameter '\(field).timestamp': metric '\(m.key)' timestamp must be a nonnegative long (64-bit integer)")
        }
    }

    public static func validateParam(_ p: Param, field: String = "param") throws {
        try validateName(p.key, field: "\(field).key")
        try validateLength(p.value, max: maxParamValueLength, field: "\(field).value")
    }

    public static func validateRunTag(_ t: RunTag, field: String = "tag") throws {
        try validateName(t.key, field: "\(field).key")
        try validateLength(t.value, max: maxRunTagValueLength, field: "\(field).value")
    }

    public static func validateExperimentTag(_ t: ExperimentTag, field: String = "tag") throws {
        try validateName(t.key, field: "\(field).key")
        try validateLength(t.value, max: maxExperimentTagValueLength, field: "\(field).value")
    }

    public static func validateExperimentName(_ name: String) throws {
        if name.isEmpty { throw invalid("Invalid experiment name: '' (missing value for required parameter 'name')") }
        try validateLength(name, max: maxExperimentNameLength, field: "name")
    }

    public static func validateArtifactLocation(_ location: String) throws {
        if location.hasPrefix("runs:") {
            throw invalid("Artifact location cannot be a runs:/ URI. Given: '\(location)'")
        }
    }

    public static func validateDatasetInput(_ input: DatasetInput, field: String = "datasets") throws {
        let d = input.dataset
        if d.name.isEmpty { throw invalid("Missing value for required parameter '\(field).dataset.name'") }
        if d.digest.isEmpty { throw invalid("Missing value for required parameter '\(field).dataset.digest'") }
        if d.sourceType.isEmpty { throw invalid("Missing value for required parameter '\(field).dataset.source_type'") }
        if d.source.isEmpty { throw invalid("Missing value for required parameter '\(field).dataset.source'") }
        try validateLength(d.name, max: maxDatasetNameLength, field: "\(field).dataset.name")
        try validateLength(d.digest, max: maxDatasetDigestLength, field: "\(field).dataset.digest")
        try validateLength(d.source, max: maxDatasetSourceLength, field: "\(field).dataset.source")
        if let s = d.schema { try validateLength(s, max: maxDatasetSchemaLength, field: "\(field).dataset.schema") }
        if let p = d.profile { try validateLength(p, max: maxDatasetProfileLength, field: "\(field).dataset.profile") }
        for (i, t) in input.tags.enumerated() {
            if t.key.isEmpty { throw invalid("Missing value for required parameter '\(field).tags[\(i)].key'") }
            try validateLength(t.key, max: maxInputTagKeyLength, field: "\(field).tags[\(i)].key")
            try validateLength(t.value, max: maxInputTagValueLength, field: "\(field).tags[\(i)].value")
        }
    }

    /// The batch limits and per-entity rules of `log-batch`, plus MLflow's rule that one batch may
    /// not carry two values for one param key.
    public static func validateBatch(metrics: [Metric], params: [Param], tags: [RunTag]) throws {
        if metrics.count > maxMetricsPerBatch {
            throw invalid("A batch logging request can contain at most \(maxMetricsPerBatch) metrics. Got \(metrics.count) metrics.")
        }
        if params.count > maxParamsPerBatch {
            throw invalid("A batch logging request can contain at most \(maxParamsPerBatch) params. Got \(params.count) params.")
        }
        if tags.count > maxTagsPerBatch {
            throw invalid("A batch logging request can contain at most \(maxTagsPerBatch) tags. Got \(tags.count) tags.")
        }
        let total = metrics.count + params.count + tags.count
        if total > maxEntitiesPerBatch {
            throw invalid("A batch logging request can contain at most \(maxEntitiesPerBatch) metrics, params, and tags. Got \(total).")
        }
        for (i, m) in metrics.enumerated() { try validateMetric(m, field: "metrics[\(i)]") }
        for (i, p) in params.enumerated() { try validateParam(p, field: "params[\(i)]") }
        for (i, t) in tags.enumerated() { try validateRunTag(t, field: "tags[\(i)]") }
        var seen = Set<String>(), dupes: [String] = []
        for p in params where !seen.insert(p.key).inserted { dupes.append(p.key) }
        if !dupes.isEmpty {
            throw invalid("Duplicate parameter keys have been submitted: \(dupes). Please ensure the request contains only one param value per param key.")
        }
    }
}
