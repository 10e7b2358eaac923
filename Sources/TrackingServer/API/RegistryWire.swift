import Registry

/// The registry entities in MLflow's REST JSON shapes (reference 2.1), field for field as the
/// reference server writes them: versions as strings, `description`, `run_id` and `run_link` on
/// every ModelVersion (empty strings when unset), other unset fields and empty lists omitted, tags
/// and aliases sorted. A RegisteredModel's `latest_versions` carry no aliases (as MLflow's); its
/// `aliases` are `[{alias, version}]`. The `from` functions read request fields.
///
/// ```swift
/// let body = WireValue.object([("model_version", RegistryWire.modelVersion(v))]).bytes()
/// // {"model_version":{"name":"churn","version":"1",...,"status":"READY","run_link":""}}
/// let version = try RegistryWire.version(params)   // "3" → 3, "abc" → 400
/// ```
public enum RegistryWire {
    static func tags(_ tags: [String: String]) -> WireValue {
        TrackingWire.keyValues(tags.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// A ModelVersion; `aliases: false` leaves them out (the entries of `latest_versions`).
    public static func modelVersion(_ v: ModelVersion, aliases: Bool = true) -> WireValue {
        var out: [(String, WireValue)] = [
            ("name", .string(v.name)), ("version", .string(String(v.version))),
            ("creation_timestamp", .int(v.creationTimestamp)), ("last_updated_timestamp", .int(v.lastUpdatedTimestamp)),
        ]
        if let user = v.userId, !user.isEmpty { out.append(("user_id", .string(user))) }
        out += [
            ("current_stage", .string(v.currentStage.rawValue)), ("description", .string(v.description)),
            ("source", .string(v.source)), ("run_id", .string(v.runId ?? "")), ("status", .string(v.status.rawValue)),
        ]
        if let message = v.statusMessage, !message.isEmpty { out.append(("status_message", .string(message))) }
        if !v.tags.isEmpty { out.append(("tags", tags(v.tags))) }
        out.append(("run_link", .string(v.runLink ?? "")))
        if aliases && !v.aliases.isEmpty { out.append(("aliases", .array(v.aliases.sorted().map { .string($0) }))) }
        if let model = v.modelId, !model.isEmpty { out.append(("model_id", .string(model))) }
        return .object(out)
    }

    /// A RegisteredModel with `latest_versions` (per stage, the highest version), tags and aliases.
    public static func registeredModel(_ m: RegisteredModel) -> WireValue {
        var out: [(String, WireValue)] = [
            ("name", .string(m.name)),
            ("creation_timestamp", .int(m.creationTimestamp)), ("last_updated_timestamp", .int(m.lastUpdatedTimestamp)),
        ]
        if let user = m.userId, !user.isEmpty { out.append(("user_id", .string(user))) }
        if !m.description.isEmpty { out.append(("description", .string(m.description))) }
        TrackingWire.appendList("latest_versions", m.latestVersions.map { modelVersion($0, aliases: false) }, to: &out)
        if !m.tags.isEmpty { out.append(("tags", tags(m.tags))) }
        TrackingWire.appendList("aliases", m.aliases.sorted { $0.key < $1.key }.map {
            .object([("alias", .string($0.key)), ("version", .string(String($0.value)))])
        }, to: &out)
        return .object(out)
    }

    // MARK: Requests

    /// A required version field: a decimal string (or number); anything else is MLflow's 400.
    public static func version(_ p: APIParameters, _ key: String = "version") throws -> Int {
        let text: String
        if let n = try? p.int64(key) {
            text = String(n)
        } else {
            text = try p.string(key) ?? ""
        }
        guard !text.isEmpty || p.has(key) else { throw MLflowAPIError.missing(p.name(key)) }
        guard let v = Int(text) else {
            throw MLflowAPIError.invalid("Parameter '\(p.name(key))' must be an integer, got '\(text)'.")
        }
        return v
    }

    /// A `tags` list of `{key, value}` as a dictionary (the last value of a repeated key wins).
    public static func tags(from p: APIParameters) throws -> [String: String] {
        var out: [String: String] = [:]
        for t in try p.objects("tags") { out[try t.requiredString("key")] = try t.string("value") ?? "" }
        return out
    }

    /// A stage name in any case, stored canonical; anything else is 400 `INVALID_PARAMETER_VALUE`.
    public static func stage(_ text: String) throws -> ModelStage {
        try ModelStage(parsing: text)
    }
}
