import Foundation

/// Streams a ``CSVSource`` in batches: tokenises up to `batchRows` records, then converts each
/// projected column in one pass over its fields.
final class CSVBatchStream: BatchStream {
    let source: CSVSource
    let projection: [Int]
    let schema: Schema
    private var tokenizer: CSVTokenizer
    private var done = false
    private var refs: [CSVFieldRef] = []
    private var lines: [Int] = []
    private var scratch: [UInt8] = []
    private var cscratch: [CChar] = []

    init(source: CSVSource, projection: [Int]) throws {
        self.source = source
        self.projection = projection
        schema = Schema(projection.map { source.schema.fields[$0] })
        tokenizer = CSVTokenizer(path: source.path, delimiter: source.delimiter,
                                 pos: source.dataStart, line: source.dataStartLine)
    }

    /// Tokenises the next batch of records; returns how many.
    func fill() throws -> Int {
        guard !done else { return 0 }
        let ncols = source.schema.fields.count
        let batchRows = source.options.batchRows
        refs.removeAll(keepingCapacity: true)
        lines.removeAll(keepingCapacity: true)
        if refs.capacity < batchRows * max(ncols, 1) { refs.reserveCapacity(batchRows * max(ncols, 1)) }
        // Locals, not stored properties, inside the loop: no exclusivity checks per record.
        var tok = tokenizer
        var refsL = refs, linesL = lines
        refs = []
        lines = []
        defer {
            tokenizer = tok
            refs = refsL
            lines = linesL
        }
        let path = source.path
        let header = source.options.header
        var finished = false
        try source.data.withUnsafeBytes { buf in
            while linesL.count < batchRows {
                let before = refsL.count
                guard let line = try tok.nextAppending(buf, into: &refsL) else {
                    finished = true
                    break
                }
                guard refsL.count - before == ncols else {
                    throw CSVSource.ragged(path, line, refsL.count - before, ncols, header: header)
                }
                linesL.append(line)
            }
        }
        if finished { done = true }
        return linesL.count
    }

    func next() throws -> Table? {
        let rows = try fill()
        if rows == 0 { return nil }
        let ncols = source.schema.fields.count
        var columns: [Column] = []
        columns.reserveCapacity(projection.count)
        try source.data.withUnsafeBytes { buf in
            for c in projection {
                columns.append(try convert(buf, column: c, ncols: ncols, rows: rows))
            }
        }
        return try Table(columns)
    }

    private func valueError(_ field: Field, _ row: Int, _ p: UnsafeBufferPointer<UInt8>, _ why: String) -> CSVError {
        var text = String(decoding: p.prefix(60), as: UTF8.self)
        if p.count > 60 { text += "…" }
        return CSVError(.badValue, path: source.path, line: lines[row], column: field.name,
                        "value '\(text)' \(why)")
    }

    private func convert(_ buf: UnsafeRawBufferPointer, column c: Int, ncols: Int, rows: Int) throws -> Column {
        let field = source.schema.fields[c]
        let nulls = source.nullTexts
        let refs = self.refs
        var scratch = self.scratch
        defer { self.scratch = scratch }
        var validity = [Bool](repeating: true, count: rows)
        var anyNull = false
        let textual: Bool
        switch field.type {
        case .string, .json, .binary: textual = true
        default: textual = false
        }
        /// Calls `body` with the text of row `r`, or returns false for a null cell.
        @inline(__always)
        func each(_ body: (Int, UnsafeBufferPointer<UInt8>) throws -> Void) throws {
            for r in 0 ..< rows {
                let f = refs[r * ncols + c]
                try CSVSource.withText(buf, f, &scratch) { p in
                    if !(textual && f.quoted), CSVSource.isNullText(p, nullTexts: nulls) {
                        validity[r] = false
                        anyNull = true
                        return
                    }
                    try body(r, p)
                }
            }
        }
        let data: ColumnData
        switch field.type {
        case .bool:
            var out = [Bool](repeating: false, count: rows)
            try each { r, p in
                if let b = CSVParse.parseBool(p) {
                    out[r] = b
                } else if p.count == 1, p[0] == UInt8(ascii: "1") || p[0] == UInt8(ascii: "0") {
                    out[r] = p[0] == UInt8(ascii: "1")
                } else {
                    throw valueError(field, r, p, "is not a bool (true/false)")
                }
            }
            data = .bool(out)
        case .int8, .int16, .int32:
            let range: ClosedRange<Int64> = switch field.type {
            case .int8: Int64(Int8.min) ... Int64(Int8.max)
            case .int16: Int64(Int16.min) ... Int64(Int16.max)
            default: Int64(Int32.min) ... Int64(Int32.max)
            }
            var out = [Int32](repeating: 0, count: rows)
            try each { r, p in
                guard let v = CSVParse.parseInt(p), range.contains(v) else {
                    throw valueError(field, r, p, "is not a valid \(field.type.description)")
                }
                out[r] = Int32(v)
            }
            data = .int32(out)
        case .int64:
            var out = [Int64](repeating: 0, count: rows)
            try each { r, p in
                guard let v = CSVParse.parseInt(p) else {
                    throw valueError(field, r, p, "is not a valid int64")
                }
                out[r] = v
            }
            data = .int64(out)
        case .float64:
            var out = [Double](repeating: 0, count: rows)
            var cs = cscratch
            for r in 0 ..< rows {
                let f = refs[r * ncols + c]
                try CSVSource.withText(buf, f, &scratch) { p in
                    if let v = CSVParse.parseDouble(p, scratch: &cs) {
                        out[r] = v  // includes NaN even when "NaN" is a null text
                    } else if CSVSource.isNullText(p, nullTexts: nulls) {
                        validity[r] = false
                        anyNull = true
                    } else {
                        throw valueError(field, r, p, "is not a valid float64")
                    }
                }
            }
            cscratch = cs
            data = .double(out)
        case .float32:
            var out = [Float](repeating: 0, count: rows)
            var cs = cscratch
            for r in 0 ..< rows {
                let f = refs[r * ncols + c]
                try CSVSource.withText(buf, f, &scratch) { p in
                    if let v = CSVParse.parseFloat32(p, scratch: &cs) {
                        out[r] = v
                    } else if CSVSource.isNullText(p, nullTexts: nulls) {
                        validity[r] = false
                        anyNull = true
                    } else {
                        throw valueError(field, r, p, "is not a valid float32")
                    }
                }
            }
            cscratch = cs
            data = .float(out)
        case .date:
            var out = [Int32](repeating: 0, count: rows)
            try each { r, p in
                guard let d = CSVParse.parseDate(p) else {
                    throw valueError(field, r, p, "is not a date (YYYY-MM-DD)")
                }
                out[r] = d
            }
            data = .int32(out)
        case .timestamp(let unit, _):
            var out = [Int64](repeating: 0, count: rows)
            try each { r, p in
                var stamp = CSVParse.parseTimestamp(p)
                if stamp == nil, p.count == 10, let d = CSVParse.parseDate(p) {
                    stamp = CSVParse.Stamp(seconds: Int64(d) * 86_400, nanos: 0, zoned: false)
                }
                guard let s = stamp else {
                    throw valueError(field, r, p, "is not an ISO-8601 timestamp (YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±HH:MM])")
                }
                guard let t = CSVParse.ticks(s, unit: unit) else {
                    throw valueError(field, r, p, "is out of range for \(field.type.description)")
                }
                out[r] = t
            }
            data = .int64(out)
        case .decimal(let precision, let scale):
            var out = [Int128](repeating: 0, count: rows)
            try each { r, p in
                switch CSVParse.parseDecimal(p, precision: precision, scale: scale) {
                case .success(let v): out[r] = v
                case .failure(.syntax): throw valueError(field, r, p, "is not a decimal number")
                case .failure(.tooManyFractionDigits):
                    throw valueError(field, r, p, "has more than \(scale) fraction digits (\(field.type.description))")
                case .failure(.precision):
                    throw valueError(field, r, p, "has more than \(precision) significant digits (\(field.type.description))")
                }
            }
            data = .decimal(out)
        case .binary:
            var out = ByteArrayBuffer()
            out.reserve(values: rows, bytes: 0)
            for r in 0 ..< rows {
                let f = refs[r * ncols + c]
                try CSVSource.withText(buf, f, &scratch) { p in
                    if !f.quoted, CSVSource.isNullText(p, nullTexts: nulls) {
                        validity[r] = false
                        anyNull = true
                        out.appendEmpty()
                        return
                    }
                    guard CSVParse.decodeBase64(p, into: &out) else {
                        throw valueError(field, r, p, "is not base64")
                    }
                }
            }
            data = .bytes(out)
        case .string, .json:
            var out = ByteArrayBuffer()
            var total = 0
            for r in 0 ..< rows {
                let f = refs[r * ncols + c]
                total += f.end - f.start
            }
            out.reserve(values: rows, bytes: total)
            let base = buf.bindMemoryIfNeeded()
            for r in 0 ..< rows {
                let f = refs[r * ncols + c]
                if f.escaped {
                    CSVTokenizer.unescape(buf, f, into: &scratch)
                    out.append(bytes: scratch)
                    continue
                }
                let p = UnsafeBufferPointer(rebasing: base[f.start ..< f.end])
                if !f.quoted, CSVSource.isNullText(p, nullTexts: nulls) {
                    validity[r] = false
                    anyNull = true
                    out.appendEmpty()
                } else {
                    out.append(bytes: p)
                }
            }
            data = .bytes(out)
        }
        return Column(field, data: data, validity: anyNull ? validity : nil)
    }
}
