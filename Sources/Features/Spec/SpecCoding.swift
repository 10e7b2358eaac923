import Foundation

/// A list entry that is either a bare column name or a mapping with a `column` key.
enum SpecEntry {
    /// Decodes a bare name as `nil` keyed container plus the name.
    static func open(_ decoder: any Decoder) throws -> (column: String, fields: KeyedDecodingContainer<SpecKey>?) {
        if let single = try? decoder.singleValueContainer(), let name = try? single.decode(String.self) {
            try checkName(name, decoder.codingPath)
            return (name, nil)
        }
        let c = try decoder.container(keyedBy: SpecKey.self)
        guard let name = try c.optional(String.self, "column") else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "an entry needs a 'column' (or is a bare column name)"))
        }
        try checkName(name, decoder.codingPath + [SpecKey("column")])
        return (name, c)
    }

    private static func checkName(_ name: String, _ path: [any CodingKey]) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "empty column name"))
        }
    }
}

extension FeatureError {
    /// A decoding error of a spec or a fitted state, naming the field by its path
    /// (`numeric[1].impute`) and saying what is wrong.
    public init(decoding error: DecodingError) {
        switch error {
        case .dataCorrupted(let c):
            self.init(column: specPath(c.codingPath), c.debugDescription)
        case .keyNotFound(let key, let c):
            self.init(column: specPath(c.codingPath + [key]), "missing required key")
        case .typeMismatch(let type, let c):
            self.init(column: specPath(c.codingPath), "expected \(FeatureError.typeWord(type)) (\(c.debugDescription))")
        case .valueNotFound(let type, let c):
            self.init(column: specPath(c.codingPath), "expected \(FeatureError.typeWord(type)), found null")
        @unknown default:
            self.init(column: "spec", "\(error)")
        }
    }

    private static func typeWord(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        default: "\(t)"
        }
    }
}
