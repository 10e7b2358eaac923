/// Rebuilds nested values (struct, list, map) of one top-level field from its leaves' levels and
/// renders each row as JSON text. Every level read is bounds-checked; inconsistent levels throw.
struct PQAssembler {
    struct LeafPart {
        var def: [Int16]?
        var rep: [Int16]?
        var data: ColumnData
        var type: DataType
        var entries: Int
        var maxDef: Int
    }

    let tree: PQSchemaTree
    let leafBase: Int
    var parts: [LeafPart]
    var cursor: [Int]
    var vcursor: [Int]
    var out: [UInt8] = []
    /// `"name":` of every node, escaped once.
    let keys: [[UInt8]]

    init(tree: PQSchemaTree, leafBase: Int, parts: [LeafPart]) {
        self.tree = tree
        self.leafBase = leafBase
        self.parts = parts
        keys = tree.nodes.map { n in
            var k: [UInt8] = []
            PQJSON.appendString(Array(n.name.utf8), into: &k)
            k.append(UInt8(ascii: ":"))
            return k
        }
        cursor = Array(repeating: 0, count: parts.count)
        vcursor = Array(repeating: 0, count: parts.count)
    }

    enum Instance {
        case value(Int)
        case field(Int)
        case map(key: Int, value: Int?)
    }

    func defAt(_ leaf: Int) throws -> Int {
        let i = leaf - leafBase
        guard i >= 0, i < parts.count else { throw PQDecodeError("internal: leaf \(leaf) outside the field") }
        guard cursor[i] < parts[i].entries else {
            throw PQDecodeError("levels of leaf \(tree.leaves[leaf].path.joined(separator: ".")) end early")
        }
        guard let d = parts[i].def else { return 0 }
        return Int(d[cursor[i]])
    }

    func repAt(_ leaf: Int) -> Int? {
        let i = leaf - leafBase
        guard cursor[i] < parts[i].entries else { return nil }
        guard let r = parts[i].rep else { return 0 }
        return Int(r[cursor[i]])
    }

    /// Consumes the single entry every leaf under an undefined (null or empty) node has.
    mutating func skipUndefined(_ n: Int) throws {
        let node = tree.nodes[n]
        for l in node.firstLeaf ..< node.firstLeaf + node.leafCount {
            let d = try defAt(l)
            guard d < node.defLevel else {
                throw PQDecodeError("inconsistent definition levels under '\(node.name)'")
            }
            cursor[l - leafBase] += 1
        }
    }

    mutating func assemble(top: Int, rows: Int) throws -> (ByteArrayBuffer, [Bool]?) {
        // Every row has at least one level entry in every leaf.
        for p in parts where p.entries < rows {
            throw PQDecodeError("a leaf holds \(p.entries) level entries for \(rows) rows")
        }
        var result = ByteArrayBuffer()
        result.offsets.reserveCapacity(rows + 1)
        var validity = [Bool](repeating: true, count: rows)
        var anyNull = false
        let node = tree.nodes[top]
        for row in 0 ..< rows {
            for l in node.firstLeaf ..< node.firstLeaf + node.leafCount {
                guard let r = repAt(l) else {
                    throw PQDecodeError("levels end at row \(row) of \(rows)")
                }
                guard r == 0 else { throw PQDecodeError("row \(row) does not start at repetition level 0") }
            }
            out.removeAll(keepingCapacity: true)
            if node.isRepeated {
                out.append(UInt8(ascii: "["))
                try emitInstances(top, .value(top))
                out.append(UInt8(ascii: "]"))
            } else {
                let d = try defAt(node.firstLeaf)
                if node.isOptional && d < node.defLevel {
                    try skipUndefined(top)
                    validity[row] = false
                    anyNull = true
                    result.appendEmpty()
                    continue
                }
                try emitValue(top, checkNull: false)
            }
            result.append(bytes: out)
        }
        for i in 0 ..< parts.count {
            guard cursor[i] == parts[i].entries, vcursor[i] == parts[i].data.count else {
                throw PQDecodeError("leaf \(tree.leaves[leafBase + i].path.joined(separator: ".")) has \(parts[i].entries - cursor[i]) level entries / \(parts[i].data.count - vcursor[i]) values left after \(rows) rows")
            }
        }
        return (result, anyNull ? validity : nil)
    }

    mutating func emitField(_ n: Int) throws {
        if tree.nodes[n].isRepeated {
            out.append(UInt8(ascii: "["))
            try emitInstances(n, .value(n))
            out.append(UInt8(ascii: "]"))
        } else {
            try emitValue(n, checkNull: true)
        }
    }

    mutating func emitValue(_ n: Int, checkNull: Bool) throws {
        let node = tree.nodes[n]
        if checkNull && node.isOptional {
            let d = try defAt(node.firstLeaf)
            if d < node.defLevel {
                out.append(contentsOf: "null".utf8)
                try skipUndefined(n)
                return
            }
        }
        if let l = node.leaf {
            let i = l - leafBase
            let d = try defAt(l)
            guard d == parts[i].maxDef else {
                throw PQDecodeError("inconsistent definition level \(d) at leaf \(tree.leaves[l].path.joined(separator: "."))")
            }
            guard vcursor[i] < parts[i].data.count else {
                throw PQDecodeError("leaf \(tree.leaves[l].path.joined(separator: ".")) has fewer values than its levels announce")
            }
            PQJSON.append(parts[i].data, at: vcursor[i], type: parts[i].type, into: &out)
            vcursor[i] += 1
            cursor[i] += 1
            return
        }
        guard node.leafCount > 0 else { throw PQDecodeError("group '\(node.name)' has no leaf columns") }
        switch tree.shape(n) {
        case .leaf, .structure:
            out.append(UInt8(ascii: "{"))
            for (k, c) in node.children.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: keys[c])
                try emitField(c)
            }
            out.append(UInt8(ascii: "}"))
        case .list(let r, let e):
            out.append(UInt8(ascii: "["))
            try emitInstances(r, e == r ? .value(r) : .field(e))
            out.append(UInt8(ascii: "]"))
        case .map(let r, let k, let v):
            out.append(UInt8(ascii: "["))
            try emitInstances(r, .map(key: k, value: v))
            out.append(UInt8(ascii: "]"))
        case .unsupported(let why):
            throw PQDecodeError("cannot assemble nested value: \(why)")
        }
    }

    /// Emits the instances of repeated node `r` (comma separated, no brackets).
    mutating func emitInstances(_ r: Int, _ kind: Instance) throws {
        let node = tree.nodes[r]
        guard node.leafCount > 0 else { throw PQDecodeError("group '\(node.name)' has no leaf columns") }
        let first = node.firstLeaf
        if try defAt(first) < node.defLevel {
            try skipUndefined(r)
            return
        }
        var k = 0
        while true {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            switch kind {
            case .value(let x): try emitValue(x, checkNull: false)
            case .field(let e): try emitField(e)
            case .map(let key, let value):
                out.append(contentsOf: "{\"key\":".utf8)
                try emitField(key)
                out.append(contentsOf: ",\"value\":".utf8)
                if let value { try emitField(value) } else { out.append(contentsOf: "null".utf8) }
                out.append(UInt8(ascii: "}"))
            }
            k += 1
            guard let nr = repAt(first), nr == node.repLevel else { break }
            for l in first ..< first + node.leafCount {
                guard repAt(l) == node.repLevel, try defAt(l) >= node.defLevel else {
                    throw PQDecodeError("inconsistent repetition levels under '\(node.name)'")
                }
            }
        }
    }
}

/// JSON rendering of leaf values inside nested columns, with the same scalar rules as
/// `gold cat` (``TableRenderer``): dates, timestamps, decimals and base64 binary as strings,
/// non-finite floats as "NaN"/"Infinity"/"-Infinity".
enum PQJSON {
    static func append(_ data: ColumnData, at i: Int, type: DataType, into out: inout [UInt8]) {
        let quote = UInt8(ascii: "\"")
        switch data {
        case .bool(let v): out.append(contentsOf: (v[i] ? "true" : "false").utf8)
        case .int32(let v):
            if case .date = type {
                out.append(quote)
                TableRenderer.appendDate(Int64(v[i]), to: &out)
                out.append(quote)
            } else {
                TableRenderer.appendInt(Int64(v[i]), to: &out)
            }
        case .int64(let v):
            if case .timestamp(let unit, let utc) = type {
                out.append(quote)
                TableRenderer.appendTimestamp(v[i], unit: unit, utc: utc, to: &out)
                out.append(quote)
            } else {
                TableRenderer.appendInt(v[i], to: &out)
            }
        case .float(let v): TableRenderer.appendFloat(v[i], json: true, to: &out)
        case .double(let v): TableRenderer.appendDouble(v[i], json: true, to: &out)
        case .decimal(let v):
            var scale = 0
            if case .decimal(_, let s) = type { scale = s }
            out.append(quote)
            TableRenderer.appendDecimal(v[i], scale: scale, to: &out)
            out.append(quote)
        case .bytes(let b):
            if case .binary = type {
                out.append(quote)
                TableRenderer.appendBase64(b.slice(i), to: &out)
                out.append(quote)
            } else {
                TableRenderer.appendJSONString(b.slice(i), to: &out)
            }
        case .dictionary(let idx, let dict):
            append(.bytes(dict), at: Int(idx[i]), type: type, into: &out)
        }
    }

    static func appendString(_ s: [UInt8], into out: inout [UInt8]) {
        TableRenderer.appendJSONString(s[...], to: &out)
    }
}
