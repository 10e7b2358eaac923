import GoldTables
import Linalg

extension Interactions {
    /// Builds the user × item matrix of an event table. Ids come from string or integer columns
    /// (integers rendered in decimal); the id maps sort them (see ``IdMap``). A null id, or a null
    /// or non-finite weight, is an error naming the column and the row.
    ///
    /// ```swift
    /// let events = try GoldTable.open("Experiments/gold/interactions").read()
    /// let x = try Interactions.build(from: events, user: "user_id", item: "item_id", weight: .count)
    /// ```
    public static func build(from table: Table, user: String, item: String, weight: InteractionWeight) throws -> Interactions {
        let u = try IdColumn(table, user)
        let i = try IdColumn(table, item)
        let users = IdMap(ids: u.distinct)
        let items = IdMap(ids: i.distinct)
        let rows = try Self.cells(table, u.indexes(in: users), i.indexes(in: items), weight: weight)
        return try Self.assemble(rows.users, rows.items, rows.weights, users: users, items: items, weight: weight)
    }

    /// Builds the matrix of an event table over existing id maps (a test set against the training
    /// maps): rows whose user or item is not in the maps are dropped and counted.
    public static func build(from table: Table, user: String, item: String, weight: InteractionWeight,
                             users: IdMap, items: IdMap) throws -> (interactions: Interactions, droppedRows: Int) {
        let u = try IdColumn(table, user)
        let i = try IdColumn(table, item)
        let rows = try Self.cells(table, u.indexes(in: users), i.indexes(in: items), weight: weight)
        let m = try Self.assemble(rows.users, rows.items, rows.weights, users: users, items: items, weight: weight)
        return (m, table.rowCount - rows.users.count)
    }

    /// The (user, item, weight) of every row whose ids are both known (index ≥ 0).
    private static func cells(_ table: Table, _ u: [Int32], _ i: [Int32], weight: InteractionWeight) throws
        -> (users: [Int32], items: [Int32], weights: [Double]) {
        var w: [Double]? = nil
        if case .column(let name) = weight {
            let c = try ColumnValues.find(name, in: table)
            guard InputKind(c.type)?.isNumeric == true else {
                throw FeatureError(column: name, "a weight column must be numeric, not \(c.type.description)")
            }
            let values = try ColumnValues.doubles(c, name: name)
            for r in 0 ..< values.count where values[r].isNaN {
                throw FeatureError(column: name, "row \(r): null weight")
            }
            w = values
        }
        var users: [Int32] = [], items: [Int32] = [], weights: [Double] = []
        users.reserveCapacity(u.count)
        items.reserveCapacity(u.count)
        weights.reserveCapacity(u.count)
        for r in 0 ..< u.count where u[r] >= 0 && i[r] >= 0 {
            users.append(u[r])
            items.append(i[r])
            weights.append(w?[r] ?? 1)
        }
        return (users, items, weights)
    }

    /// CSR from cells: bucket by user (counting sort), then sort each row by item and sum.
    private static func assemble(_ u: [Int32], _ i: [Int32], _ w: [Double], users: IdMap, items: IdMap,
                                 weight: InteractionWeight) throws -> Interactions {
        let rows = users.count
        var start = [Int](repeating: 0, count: rows + 1)
        for x in u { start[Int(x) + 1] += 1 }
        for r in 0 ..< rows { start[r + 1] += start[r] }
        var next = start
        var order = [Int](repeating: 0, count: u.count)
        for k in 0 ..< u.count {
            order[next[Int(u[k])]] = k
            next[Int(u[k])] += 1
        }
        var pointers = [Int](repeating: 0, count: rows + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        columns.reserveCapacity(u.count)
        values.reserveCapacity(u.count)
        var row: [(Int32, Double)] = []
        for r in 0 ..< rows {
            row.removeAll(keepingCapacity: true)
            for k in order[start[r] ..< start[r + 1]] { row.append((i[k], w[k])) }
            row.sort { $0.0 < $1.0 }
            var k = 0
            while k < row.count {
                var sum = 0.0
                let item = row[k].0
                while k < row.count, row[k].0 == item {
                    sum += row[k].1
                    k += 1
                }
                let value: Float = weight == .one ? 1 : Float(sum)
                if !value.isFinite, case .column(let name) = weight {
                    // Finite Doubles can sum (or round) past Float's range: name it, do not store ±∞.
                    throw FeatureError(column: name, "the weights of user \(users.ids[r]), item \(items.ids[Int(item)]) sum to \(sum), outside Float's range")
                }
                columns.append(item)
                values.append(value)
            }
            pointers[r + 1] = columns.count
        }
        let m = try SparseMatrix<Float>(rows: rows, columns: items.count, rowPointers: pointers,
                                        columnIndices: columns, values: values)
        return try Interactions(matrix: m, users: users, items: items)
    }
}

/// The ids of one string or integer column: a code per row and the distinct id of each code.
private struct IdColumn {
    let name: String
    let codes: [Int32]
    let distinct: [String]

    init(_ table: Table, _ name: String) throws {
        self.name = name
        let c = try ColumnValues.find(name, in: table)
        if let v = c.validity, let r = v.firstIndex(of: false) {
            throw FeatureError(column: name, "row \(r): null id")
        }
        var codes = [Int32](repeating: 0, count: c.count)
        var distinct: [String] = []
        switch (InputKind(c.type), c.data) {
        case (.string?, .dictionary(let idx, let dict)):
            var byBytes: [ArraySlice<UInt8>: Int32] = [:]
            var entryCode = [Int32](repeating: 0, count: dict.count)
            for k in 0 ..< dict.count {
                let s = dict.slice(k)
                if let code = byBytes[s] {
                    entryCode[k] = code
                } else {
                    let code = Int32(distinct.count)
                    byBytes[s] = code
                    distinct.append(String(decoding: s, as: UTF8.self))
                    entryCode[k] = code
                }
            }
            for r in 0 ..< idx.count {
                let k = Int(idx[r])
                guard k >= 0, k < dict.count else { throw FeatureError(column: name, "row \(r): dictionary index out of range") }
                codes[r] = entryCode[k]
            }
        case (.string?, .bytes(let b)):
            var byBytes: [ArraySlice<UInt8>: Int32] = [:]
            for r in 0 ..< b.count {
                let s = b.slice(r)
                if let code = byBytes[s] {
                    codes[r] = code
                } else {
                    let code = Int32(distinct.count)
                    byBytes[s] = code
                    distinct.append(String(decoding: s, as: UTF8.self))
                    codes[r] = code
                }
            }
        case (.integer?, _):
            var byValue: [Int64: Int32] = [:]
            for (r, v) in try ColumnValues.integers(c, name: name).enumerated() {
                if let code = byValue[v] {
                    codes[r] = code
                } else {
                    let code = Int32(distinct.count)
                    byValue[v] = code
                    distinct.append(String(v))
                    codes[r] = code
                }
            }
        default:
            throw FeatureError(column: name, "ids must be a string or integer column, not \(c.type.description)")
        }
        guard distinct.count < Int(Int32.max) else { throw FeatureError(column: name, "too many distinct ids") }
        self.codes = codes
        self.distinct = distinct
    }

    /// Each row's index in `map`, −1 where the id is unknown.
    func indexes(in map: IdMap) -> [Int32] {
        let perCode = distinct.map { map.index(of: $0).map { Int32($0) } ?? -1 }
        return codes.map { perCode[Int($0)] }
    }
}
