import Features

/// The user, item and cell weight of a recommendation experiment's interactions table.
/// `weight` is `one` (1 per pair), `count` (rows per pair, the default) or a numeric column summed
/// per pair: `{column: NAME}`, or a bare name other than `one`/`count`.
///
/// ```yaml
/// interactions:
///   user: user_id
///   item: item_id
///   weight: count          # one | count | {column: rating}
/// ```
public struct InteractionsSpec: Sendable, Hashable, Codable {
    public var user: String
    public var item: String
    public var weight: InteractionWeight

    public init(user: String, item: String, weight: InteractionWeight = .count) {
        self.user = user
        self.item = item
        self.weight = weight
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: SpecKey.self)
        try c.rejectUnknownKeys(["user", "item", "weight"])
        user = try c.required(String.self, "user")
        item = try c.required(String.self, "item")
        for (k, v) in [("user", user), ("item", item)] where v.trimmingCharacters(in: .whitespaces).isEmpty {
            throw c.bad(k, "empty column name")
        }
        guard c.has("weight") else {
            weight = .count
            return
        }
        if let word = try? c.decode(String.self, forKey: SpecKey("weight")) {
            switch word {
            case "one": weight = .one
            case "count": weight = .count
            case "": throw c.bad("weight", "empty column name")
            default: weight = .column(word)
            }
        } else {
            let w = try c.nestedContainer(keyedBy: SpecKey.self, forKey: SpecKey("weight"))
            try w.rejectUnknownKeys(["column"])
            let name = try w.required(String.self, "column")
            guard !name.isEmpty else { throw w.bad("column", "empty column name") }
            weight = .column(name)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: SpecKey.self)
        try c.put(user, "user")
        try c.put(item, "item")
        switch weight {
        case .one: try c.put("one", "weight")
        case .count: try c.put("count", "weight")
        case .column(let name): try c.put(["column": name], "weight")
        }
    }
}
