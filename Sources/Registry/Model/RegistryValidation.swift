/// The naming rules of the registry, as MLflow checks them (plus what our URIs need). Every failure is
/// `INVALID_PARAMETER_VALUE` naming the offending value.
///
/// - Model names: non-empty, at most 256 characters, no `/`, `@`, `:` or control characters, no
///   leading/trailing spaces (stricter than MLflow, which only requires non-empty, so that
///   `models:/<name>/<version>` and `models:/<name>@<alias>` are unambiguous).
/// - Aliases: `^[\w\-]+$` (letters, digits, `_`, `-`), at most 255 characters; `latest` (any case)
///   and `v<digits>` / `V<digits>` are reserved because they would read as version references.
/// - Tag keys: non-empty, at most 250 characters; values at most 5000 characters.
///
/// ```swift
/// try RegistryValidation.alias("champion")   // fine
/// try RegistryValidation.alias("v3")         // throws: reserved
/// ```
public enum RegistryValidation {
    public static let maxModelNameLength = 256
    public static let maxAliasLength = 255
    public static let maxTagKeyLength = 250
    public static let maxTagValueLength = 5000

    /// Validates a registered model name.
    public static func modelName(_ name: String) throws {
        guard !name.isEmpty else { throw RegistryError(.invalidParameterValue, "Registered model name cannot be empty.") }
        guard name.count <= maxModelNameLength else {
            throw RegistryError(.invalidParameterValue, "Registered model name '\(name.prefix(40))…' is longer than \(maxModelNameLength) characters.")
        }
        if let bad = name.unicodeScalars.first(where: { "/@:".unicodeScalars.contains($0) || $0.properties.generalCategory == .control }) {
            throw RegistryError(.invalidParameterValue,
                                "Registered model name '\(name)' contains '\(bad.escaped(asASCII: true))' (not allowed: '/', '@', ':' and control characters).")
        }
        guard name.first?.isWhitespace != true, name.last?.isWhitespace != true else {
            throw RegistryError(.invalidParameterValue, "Registered model name '\(name)' has leading or trailing spaces.")
        }
    }

    /// Validates an alias name (see the type's rules).
    public static func alias(_ alias: String) throws {
        guard !alias.isEmpty else { throw RegistryError(.invalidParameterValue, "Registered model alias name cannot be empty.") }
        guard alias.count <= maxAliasLength else {
            throw RegistryError(.invalidParameterValue, "Registered model alias '\(alias.prefix(40))…' is longer than \(maxAliasLength) characters.")
        }
        guard alias.unicodeScalars.allSatisfy(isWordScalar) else {
            throw RegistryError(.invalidParameterValue,
                                "Invalid alias name: '\(alias)'. Names may only contain alphanumerics, underscores (_) and dashes (-).")
        }
        if alias.lowercased() == "latest" || isVersionLike(alias) {
            throw RegistryError(.invalidParameterValue,
                                "Invalid alias name: '\(alias)'. Aliases 'latest' and 'v<number>' (in any case) are reserved.")
        }
    }

    /// Validates a tag key and value.
    public static func tag(key: String, value: String) throws {
        guard !key.isEmpty else { throw RegistryError(.invalidParameterValue, "Tag key cannot be empty.") }
        guard key.count <= maxTagKeyLength else {
            throw RegistryError(.invalidParameterValue, "Tag key '\(key.prefix(40))…' is longer than \(maxTagKeyLength) characters.")
        }
        guard value.count <= maxTagValueLength else {
            throw RegistryError(.invalidParameterValue, "Value of tag '\(key)' is longer than \(maxTagValueLength) characters.")
        }
    }

    /// Validates a version number given by a caller.
    public static func version(_ version: Int, model: String) throws {
        guard version >= 1 else {
            throw RegistryError(.invalidParameterValue, "Model version must be a positive integer, got \(version) for model '\(model)'.")
        }
    }

    /// `\w` as MLflow's Python regex reads it (Unicode letters, digits, `_`), plus `-`.
    private static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        s == "_" || s == "-" || s.properties.isAlphabetic || s.properties.numericType != nil
    }

    /// `v<digits>` / `V<digits>`.
    private static func isVersionLike(_ alias: String) -> Bool {
        guard let first = alias.first, first == "v" || first == "V" else { return false }
        let rest = alias.dropFirst()
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
