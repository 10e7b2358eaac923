/// One leaf (primitive) column of a Parquet file's schema, with the levels its values carry.
public struct ParquetLeaf: Sendable, Hashable {
    /// Path components from the top-level field to this leaf (`["add", "partitionValues", "key_value", "key"]`).
    public var path: [String]
    public var physicalType: ParquetPhysicalType
    /// The logical type (from `logicalType`, else mapped from `converted_type`).
    public var logicalType: ParquetLogicalType?
    /// FIXED_LEN_BYTE_ARRAY width.
    public var typeLength: Int?
    /// Maximum definition level (each OPTIONAL or REPEATED element on the path adds one).
    public var maxDef: Int
    /// Maximum repetition level (each REPEATED element on the path adds one).
    public var maxRep: Int
    /// The SchemaElement `field_id`, when present.
    public var fieldId: Int32?
    /// The type its values decode to.
    public var type: DataType
    /// The leaf's index among all leaves (= its column chunk index in a row group).
    public var index: Int
}

/// The values of one leaf column in one row group, as levels plus densely packed non-null values.
///
/// Entry `i` of the levels is a value iff `defLevels[i] == maxDef` (or always when `defLevels` is
/// nil); `repLevels[i] == 0` starts a new row. `values` holds only the present values, in order.
public struct LeafValues: Sendable, Hashable {
    /// Definition levels, one per entry; nil when the leaf's maxDef is 0.
    public var defLevels: [Int16]?
    /// Repetition levels, one per entry; nil when the leaf's maxRep is 0.
    public var repLevels: [Int16]?
    /// The non-null values.
    public var values: ColumnData
    public var type: DataType
    public var maxDef: Int
    public var maxRep: Int

    /// Number of level entries (rows for a non-repeated leaf).
    public var entryCount: Int {
        defLevels?.count ?? repLevels?.count ?? values.count
    }
}

/// A node of the rebuilt schema tree.
struct PQNode: Sendable, Hashable {
    var element: PQSchemaElement
    var name: String { element.name }
    /// 0 REQUIRED, 1 OPTIONAL, 2 REPEATED (root: 0).
    var repetition: Int32
    var children: [Int] = []
    var parent: Int?
    /// Leaf index for leaves.
    var leaf: Int?
    /// First leaf and leaf count under this node (leaves are contiguous in depth-first order).
    var firstLeaf = 0
    var leafCount = 0
    /// The definition level at which this node is defined, and its repetition level.
    var defLevel = 0
    var repLevel = 0
    var isGroup: Bool { leaf == nil }
    var isRepeated: Bool { repetition == 2 }
    var isOptional: Bool { repetition == 1 }

    var logical: ParquetLogicalType? { element.logicalType }
    var isListAnnotated: Bool {
        if case .list = element.logicalType { return true }
        return element.logicalType == nil && element.convertedType == 3
    }
    var isMapAnnotated: Bool {
        if case .map = element.logicalType { return true }
        return element.logicalType == nil && (element.convertedType == 1 || element.convertedType == 2)
    }
}

/// The schema tree of a file: nodes (0 = root), leaves in column-chunk order.
struct PQSchemaTree: Sendable {
    var nodes: [PQNode] = []
    var leaves: [ParquetLeaf] = []
    var leafNodes: [Int] = []
    static let maxDepth = 64

    init(_ elements: [PQSchemaElement]) throws {
        guard let root = elements.first else { throw PQDecodeError("schema is empty") }
        guard (root.numChildren ?? 0) >= 0 else { throw PQDecodeError("schema root has negative num_children") }
        var next = 0
        _ = try build(elements, &next, parent: nil, depth: 0, def: 0, rep: 0, path: [])
        guard next == elements.count else {
            throw PQDecodeError("schema has \(elements.count) elements but the tree uses \(next)")
        }
        _ = root
    }

    private mutating func build(_ els: [PQSchemaElement], _ next: inout Int, parent: Int?, depth: Int,
                                def: Int, rep: Int, path: [String]) throws -> Int {
        guard depth <= Self.maxDepth else { throw PQDecodeError("schema nesting deeper than \(Self.maxDepth)") }
        guard next < els.count else { throw PQDecodeError("schema ends inside a group (num_children too large)") }
        let e = els[next]
        next += 1
        let repetition: Int32 = parent == nil ? 0 : (e.repetition ?? 1)
        guard repetition >= 0 && repetition <= 2 else {
            throw PQDecodeError("schema element '\(e.name)' has repetition type \(repetition)")
        }
        var node = PQNode(element: e, repetition: repetition, parent: parent)
        node.defLevel = def + (repetition == 0 ? 0 : 1)
        node.repLevel = rep + (repetition == 2 ? 1 : 0)
        let myPath = parent == nil ? [] : path + [e.name]
        let index = nodes.count
        nodes.append(node)
        nodes[index].firstLeaf = leaves.count
        let nChildren = Int(e.numChildren ?? 0)
        if nChildren > 0 || (parent == nil) {
            guard nChildren <= els.count - next else {
                throw PQDecodeError("schema group '\(e.name)' claims \(nChildren) children, only \(els.count - next) elements follow")
            }
            var kids: [Int] = []
            for _ in 0 ..< nChildren {
                kids.append(try build(els, &next, parent: index, depth: depth + 1, def: node.defLevel,
                                      rep: node.repLevel, path: myPath))
            }
            nodes[index].children = kids
        } else {
            guard let t = e.type, let pt = ParquetPhysicalType(rawValue: t) else {
                throw PQDecodeError("schema leaf '\(myPath.joined(separator: "."))' has no valid physical type")
            }
            if pt == .fixedLenByteArray {
                guard let w = e.typeLength, w >= 0 else {
                    throw PQDecodeError("FIXED_LEN_BYTE_ARRAY leaf '\(myPath.joined(separator: "."))' has no valid type_length")
                }
                _ = w
            }
            let logical = Self.logical(e)
            let leafIndex = leaves.count
            leaves.append(ParquetLeaf(
                path: myPath, physicalType: pt, logicalType: logical, typeLength: e.typeLength.map(Int.init),
                maxDef: node.defLevel, maxRep: node.repLevel, fieldId: e.fieldId,
                type: Self.dataType(pt, logical, typeLength: e.typeLength.map(Int.init)), index: leafIndex))
            leafNodes.append(index)
            nodes[index].leaf = leafIndex
        }
        nodes[index].leafCount = leaves.count - nodes[index].firstLeaf
        return index
    }

    /// The logical type of an element: `logicalType`, else the converted type.
    static func logical(_ e: PQSchemaElement) -> ParquetLogicalType? {
        if let l = e.logicalType { return l }
        guard let c = e.convertedType else { return nil }
        switch c {
        case 0: return .string
        case 1, 2: return .map
        case 3: return .list
        case 4: return .enumeration
        case 5: return .decimal(precision: Int(e.precision ?? 0), scale: Int(e.scale ?? 0))
        case 6: return .date
        case 7: return .time(utc: true, unit: .milliseconds)
        case 8: return .time(utc: true, unit: .microseconds)
        case 9: return .timestamp(utc: true, unit: .milliseconds)
        case 10: return .timestamp(utc: true, unit: .microseconds)
        case 11: return .integer(bitWidth: 8, signed: false)
        case 12: return .integer(bitWidth: 16, signed: false)
        case 13: return .integer(bitWidth: 32, signed: false)
        case 14: return .integer(bitWidth: 64, signed: false)
        case 15: return .integer(bitWidth: 8, signed: true)
        case 16: return .integer(bitWidth: 16, signed: true)
        case 17: return .integer(bitWidth: 32, signed: true)
        case 18: return .integer(bitWidth: 64, signed: true)
        case 19: return .json
        case 20: return .bson
        case 21: return .interval
        default: return nil
        }
    }

    /// The contract's type mapping.
    static func dataType(_ p: ParquetPhysicalType, _ l: ParquetLogicalType?, typeLength: Int?) -> DataType {
        switch p {
        case .boolean: return .bool
        case .int32:
            switch l {
            case .integer(let w, let signed)?:
                switch (w, signed) {
                case (8, true): return .int8
                case (16, true): return .int16
                case (8, false): return .int16
                case (16, false): return .int32
                case (32, false): return .int64
                default: return .int32
                }
            case .date?: return .date
            case .decimal(let pr, let s)?: return .decimal(precision: pr, scale: s)
            default: return .int32
            }
        case .int64:
            switch l {
            case .timestamp(let utc, let unit)?: return .timestamp(unit: unit, utc: utc)
            case .decimal(let pr, let s)?: return .decimal(precision: pr, scale: s)
            default: return .int64
            }
        case .int96: return .timestamp(unit: .nanoseconds, utc: true)
        case .float: return .float32
        case .double: return .float64
        case .byteArray:
            switch l {
            case .string?, .enumeration?, .json?: return .string
            case .decimal(let pr, let s)? where pr <= 38: return .decimal(precision: pr, scale: s)
            default: return .binary
            }
        case .fixedLenByteArray:
            switch l {
            case .decimal(let pr, let s)? where pr <= 38 && (typeLength ?? 0) <= 16: return .decimal(precision: pr, scale: s)
            case .float16? where typeLength == 2: return .float32
            default: return .binary
            }
        }
    }

    /// True when a top-level node must be assembled as nested JSON.
    func isNested(_ n: Int) -> Bool {
        let node = nodes[n]
        return node.isGroup || node.isRepeated
    }

    /// A type description such as `list<struct<val:int32>>`.
    func describe(_ n: Int, depth: Int = 0) -> String {
        let node = nodes[n]
        if depth > Self.maxDepth { return "…" }
        if let l = node.leaf {
            let t = leaves[l].type.description
            return node.isRepeated && depth > 0 ? t : (node.isRepeated ? "list<\(t)>" : t)
        }
        switch shape(n) {
        case .list(_, let elem):
            return "list<\(describeValue(elem, depth: depth + 1))>"
        case .map(_, let k, let v):
            return "map<\(describeValue(k, depth: depth + 1)),\(v.map { describeValue($0, depth: depth + 1) } ?? "null")>"
        default:
            let inner = node.children.map { "\(nodes[$0].name):\(describeField($0, depth: depth + 1))" }.joined(separator: ",")
            return node.isRepeated ? "list<struct<\(inner)>>" : "struct<\(inner)>"
        }
    }

    private func describeField(_ n: Int, depth: Int) -> String {
        let node = nodes[n]
        if node.isRepeated { return "list<\(describeValue(n, depth: depth))>" }
        return describeValue(n, depth: depth)
    }

    /// Describes a node's value, ignoring its own repetition.
    private func describeValue(_ n: Int, depth: Int) -> String {
        let node = nodes[n]
        if depth > Self.maxDepth { return "…" }
        if let l = node.leaf { return leaves[l].type.description }
        switch shape(n) {
        case .list(_, let elem): return "list<\(describeValue(elem, depth: depth + 1))>"
        case .map(_, let k, let v):
            return "map<\(describeValue(k, depth: depth + 1)),\(v.map { describeValue($0, depth: depth + 1) } ?? "null")>"
        default:
            let inner = node.children.map { "\(nodes[$0].name):\(describeField($0, depth: depth + 1))" }.joined(separator: ",")
            return "struct<\(inner)>"
        }
    }

    enum Shape {
        case leaf
        case structure
        /// LIST-annotated group: its repeated child, and the node holding each element's value.
        case list(repeated: Int, element: Int)
        /// MAP-annotated group: its repeated key_value child, key node, value node (nil for a key-only map).
        case map(repeated: Int, key: Int, value: Int?)
        /// An annotated group whose layout this reader does not recognise.
        case unsupported(String)
    }

    func shape(_ n: Int) -> Shape {
        let node = nodes[n]
        if node.leaf != nil { return .leaf }
        if node.isListAnnotated {
            guard node.children.count == 1, let r = node.children.first, nodes[r].isRepeated else {
                return .unsupported("LIST group '\(node.name)' does not have exactly one repeated child")
            }
            let rep = nodes[r]
            if rep.leaf != nil { return .list(repeated: r, element: r) }
            if rep.children.count > 1 || rep.name == "array" || rep.name == node.name + "_tuple" {
                return .list(repeated: r, element: r)
            }
            guard rep.children.count == 1, let e = rep.children.first else {
                return .unsupported("LIST group '\(node.name)' has an empty repeated group")
            }
            return .list(repeated: r, element: e)
        }
        if node.isMapAnnotated {
            guard node.children.count == 1, let r = node.children.first, nodes[r].isRepeated, nodes[r].isGroup,
                  nodes[r].children.count == 1 || nodes[r].children.count == 2 else {
                // A MAP_KEY_VALUE-annotated repeated group itself (legacy) is handled by its parent.
                if node.isRepeated && node.children.count == 2 { return .structure }
                return .unsupported("MAP group '\(node.name)' does not have one repeated key_value group of 1-2 fields")
            }
            let kv = nodes[r]
            return .map(repeated: r, key: kv.children[0], value: kv.children.count == 2 ? kv.children[1] : nil)
        }
        return .structure
    }
}
