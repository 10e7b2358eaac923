/// Column-at-a-time rendering: each column's cells are rendered into one contiguous buffer in a
/// typed loop (one dispatch per column, not per cell), then rows are assembled by copying slices.
extension TableRenderer {
    /// Renders `n` cells: `body(i, &bytes)` for valid rows, `nullText` for null ones.
    @inline(__always)
    static func buildCells(_ n: Int, _ validity: [Bool]?, null nullText: [UInt8],
                           _ body: (Int, inout [UInt8]) -> Void) -> ByteArrayBuffer {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(n * 8)
        var offsets: [Int] = []
        offsets.reserveCapacity(n + 1)
        offsets.append(0)
        if let validity {
            for i in 0 ..< n {
                if validity[i] { body(i, &bytes) } else { bytes.append(contentsOf: nullText) }
                offsets.append(bytes.count)
            }
        } else {
            for i in 0 ..< n {
                body(i, &bytes)
                offsets.append(bytes.count)
            }
        }
        return ByteArrayBuffer(offsets: offsets, bytes: bytes)
    }

    /// The JSON spelling of every cell of `col`.
    static func jsonCells(_ col: Column) -> ByteArrayBuffer {
        let n = col.count
        let nullText: [UInt8] = Array("null".utf8)
        let t: [UInt8] = Array("true".utf8), f: [UInt8] = Array("false".utf8)
        let q = UInt8(ascii: "\"")
        switch col.data {
        case .bool(let v):
            return buildCells(n, col.validity, null: nullText) { i, out in out.append(contentsOf: v[i] ? t : f) }
        case .int32(let v):
            if case .date = col.type {
                return buildCells(n, col.validity, null: nullText) { i, out in
                    out.append(q); appendDate(Int64(v[i]), to: &out); out.append(q)
                }
            }
            return buildCells(n, col.validity, null: nullText) { i, out in appendInt(Int64(v[i]), to: &out) }
        case .int64(let v):
            if case .timestamp(let unit, let utc) = col.type {
                return buildCells(n, col.validity, null: nullText) { i, out in
                    out.append(q); appendTimestamp(v[i], unit: unit, utc: utc, to: &out); out.append(q)
                }
            }
            return buildCells(n, col.validity, null: nullText) { i, out in appendInt(v[i], to: &out) }
        case .float(let v):
            return buildCells(n, col.validity, null: nullText) { i, out in appendFloat(v[i], json: true, to: &out) }
        case .double(let v):
            return buildCells(n, col.validity, null: nullText) { i, out in appendDouble(v[i], json: true, to: &out) }
        case .decimal(let v):
            var scale = 0
            if case .decimal(_, let s) = col.type { scale = s }
            return buildCells(n, col.validity, null: nullText) { i, out in
                out.append(q); appendDecimal(v[i], scale: scale, to: &out); out.append(q)
            }
        case .bytes(let b):
            let type = col.type
            return buildCells(n, col.validity, null: nullText) { i, out in appendJSONBytes(b.slice(i), type: type, to: &out) }
        case .dictionary(let idx, let dict):
            // Render each dictionary entry once, then copy per row.
            let entries = jsonCells(Column(col.field, data: .bytes(dict)))
            return buildCells(n, col.validity, null: nullText) { i, out in
                let k = Int(idx[i])
                out.append(contentsOf: entries.bytes[entries.offsets[k] ..< entries.offsets[k + 1]])
            }
        }
    }

    /// True when `delimiter` may occur in the text of a number, date, timestamp, bool or base64
    /// value, so those cells must go through the quoting check too.
    static func delimiterMayAppearInScalars(_ d: UInt8) -> Bool {
        (d >= 0x30 && d <= 0x39) || (d >= 0x41 && d <= 0x5A) || (d >= 0x61 && d <= 0x7A)
            || Array("+-.:/=".utf8).contains(d)
    }

    /// The CSV field text (quoted where needed) of every cell of `col`; nulls are empty.
    func csvCells(_ col: Column) -> ByteArrayBuffer {
        let n = col.count
        var textual = false
        switch col.type {
        case .string, .json, .binary: textual = true
        default: break
        }
        if !textual && !Self.delimiterMayAppearInScalars(csvDelimiter) {
            // Numbers, dates, timestamps, bools: never quoted.
            var scratchCol = col
            scratchCol.validity = nil
            return Self.buildCells(n, col.validity, null: []) { i, out in Self.appendText(scratchCol, row: i, to: &out) }
        }
        var scratch: [UInt8] = []
        scratch.reserveCapacity(64)
        let plain = Column(col.field, data: col.data)
        let d = csvDelimiter
        return Self.buildCells(n, col.validity, null: []) { i, out in
            scratch.removeAll(keepingCapacity: true)
            Self.appendText(plain, row: i, to: &scratch)
            var needs = textual && Self.looksNull(scratch)
            if !needs {
                for b in scratch where b == d || b == UInt8(ascii: "\"") || b == 0x0A || b == 0x0D {
                    needs = true
                    break
                }
            }
            if !needs {
                out.append(contentsOf: scratch)
                return
            }
            out.append(UInt8(ascii: "\""))
            for b in scratch {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        }
    }

    /// Appends rows assembled from per-column cells: `prefix[c]` before cell c of each row, then
    /// `terminator` after each row.
    static func assemble(_ cells: [ByteArrayBuffer], rows: Int, prefix: [[UInt8]], terminator: [UInt8],
                         to out: inout [UInt8]) {
        var total = 0
        for c in cells { total += c.bytes.count }
        for p in prefix { total += p.count * rows }
        out.reserveCapacity(out.count + total + rows * terminator.count)
        // Flatten cells and prefixes into single buffers so the row loop touches no nested arrays
        // (no retain/release per cell).
        var flat: [UInt8] = []
        flat.reserveCapacity(total)
        var starts: [Int] = []  // per column, per row: absolute start in `flat`; then the end
        starts.reserveCapacity(cells.count * (rows + 1))
        for c in cells {
            let base = flat.count
            flat.append(contentsOf: c.bytes)
            for o in c.offsets { starts.append(base + o) }
        }
        var pre: [UInt8] = []
        var preStart: [Int] = [0]
        for p in prefix {
            pre.append(contentsOf: p)
            preStart.append(pre.count)
        }
        let ncols = cells.count
        flat.withUnsafeBufferPointer { fb in
            starts.withUnsafeBufferPointer { sb in
                pre.withUnsafeBufferPointer { pb in
                    for r in 0 ..< rows {
                        for c in 0 ..< ncols {
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: pb[preStart[c] ..< preStart[c + 1]]))
                            let k = c * (rows + 1) + r
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: fb[sb[k] ..< sb[k + 1]]))
                        }
                        out.append(contentsOf: terminator)
                    }
                }
            }
        }
    }
}
