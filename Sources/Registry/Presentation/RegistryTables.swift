import Foundation
import Tracking

/// Registered models and versions as aligned tables for people (`mltrack models list|show|versions`),
/// times as local ISO-8601.
///
/// ```swift
/// print(RegistryTables.models(try await store.searchRegisteredModels(filter: nil)))
/// print(RegistryTables.versions(try await store.modelVersions(name: "churn")))
/// ```
public enum RegistryTables {
    public static func models(_ items: [RegisteredModel], timeZone: TimeZone = .current) -> String {
        var t = TextTable(["NAME", "LATEST", "ALIASES", "UPDATED", "DESCRIPTION"], rightAligned: [1])
        for m in items {
            let latest = m.latestVersions.map(\.version).max().map(String.init) ?? ""
            t.append([m.name, latest, aliases(m.aliases), DisplayTime.iso(m.lastUpdatedTimestamp, timeZone: timeZone), m.description])
        }
        return t.render()
    }

    public static func versions(_ items: [ModelVersion], timeZone: TimeZone = .current) -> String {
        var t = TextTable(["VERSION", "ALIASES", "STAGE", "STATUS", "RUN ID", "CREATED", "SOURCE"], rightAligned: [0])
        for v in items {
            t.append([String(v.version), v.aliases.joined(separator: ","), v.currentStage.rawValue, v.status.rawValue,
                      v.runId ?? "", DisplayTime.iso(v.creationTimestamp, timeZone: timeZone), v.source])
        }
        return t.render()
    }

    /// One model: its fields, tags, aliases, then its versions.
    public static func model(_ m: RegisteredModel, versions: [ModelVersion], timeZone: TimeZone = .current) -> String {
        var info = TextTable(["FIELD", "VALUE"])
        info.append(["name", m.name])
        info.append(["description", m.description])
        info.append(["created", DisplayTime.iso(m.creationTimestamp, timeZone: timeZone)])
        info.append(["updated", DisplayTime.iso(m.lastUpdatedTimestamp, timeZone: timeZone)])
        info.append(["aliases", aliases(m.aliases)])
        var tags = TextTable(["KEY", "VALUE"])
        for (k, v) in m.tags.sorted(by: { $0.key < $1.key }) { tags.append([k, v]) }
        return "Model\n" + info.render() + "\nTags\n" + (tags.rows.isEmpty ? "  (none)\n" : tags.render())
            + "\nVersions\n" + (versions.isEmpty ? "  (none)\n" : Self.versions(versions, timeZone: timeZone))
    }

    /// `champion=v3, challenger=v4`, sorted by alias.
    static func aliases(_ a: [String: Int]) -> String {
        a.sorted { $0.key < $1.key }.map { "\($0.key)=v\($0.value)" }.joined(separator: ", ")
    }
}
