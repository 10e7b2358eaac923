/// Decodes a `text/csv` scoring body: a header row of column names, then one record per line
/// (RFC 4180: comma-separated, `"` quotes with `""` inside, LF or CRLF line ends, an optional
/// UTF-8 byte-order mark, blank lines skipped). Values are typed from the signature through
/// ``InputSchema/value(text:quoted:slot:name:row:)``: an empty field is null (a quoted `""` in a
/// string column is the empty string), numbers and booleans are parsed for numeric and boolean
/// columns. A record whose field count differs from the header's, invalid UTF-8 or an unclosed
/// quote is a 400 `BAD_REQUEST` naming the line.
///
/// ```swift
/// let rows = try CSVInput.rows(Array("x,label\n1.0,a\n".utf8), schema: schema)
/// ```
enum CSVInput {
    typealias Row = InputSchema.Row

    struct Field {
        var text: String
        var quoted: Bool
    }

    static func rows(_ body: [UInt8], schema: InputSchema) throws(ServingError) -> [Row] {
        let records = try parse(body)
        guard let header = records.first else {
            throw ServingError(.badRequest, "Invalid input. The CSV body is empty (it needs a header row of column names)")
        }
        let names = header.map(\.text)
        let data = Array(records.dropFirst())
        for (r, record) in data.enumerated() where record.count != names.count {
            throw ServingError(.badRequest, "Invalid input. CSV row \(r) (line \(r + 2)) has \(record.count) fields, the header has \(names.count)")
        }
        let slots = try MLflowJSONInput.slots(names, rowCount: data.count, field: "CSV header", schema: schema)
        var rows: [Row] = []
        rows.reserveCapacity(data.count)
        for (r, record) in data.enumerated() {
            var row = Row(minimumCapacity: names.count)
            for (c, field) in record.enumerated() {
                guard let slot = slots[c] else { continue }
                row[names[c]] = try schema.value(text: field.text, quoted: field.quoted, slot: slot, name: names[c], row: r)
            }
            rows.append(row)
        }
        return rows
    }

    /// The records of a CSV body (blank lines dropped).
    static func parse(_ body: [UInt8]) throws(ServingError) -> [[Field]] {
        var records: [[Field]] = []
        var record: [Field] = []
        var field: [UInt8] = []
        var quoted = false
        var p = 0
        var line = 1
        if body.count >= 3, body[0] == 0xEF, body[1] == 0xBB, body[2] == 0xBF { p = 3 }

        func text(_ bytes: [UInt8]) throws(ServingError) -> String {
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw ServingError(.badRequest, "Invalid input. CSV line \(line) is not valid UTF-8")
            }
            return s
        }
        func endField() throws(ServingError) {
            record.append(Field(text: try text(field), quoted: quoted))
            field.removeAll(keepingCapacity: true)
            quoted = false
        }
        func endRecord() {
            if !(record.count == 1 && record[0].text.isEmpty && !record[0].quoted) { records.append(record) }
            record = []
        }

        while p < body.count {
            let c = body[p]
            if c == UInt8(ascii: "\""), field.isEmpty, !quoted {
                // A quoted field: up to the closing quote ("" is a quote inside).
                quoted = true
                p += 1
                var closed = false
                while p < body.count {
                    let q = body[p]
                    if q == UInt8(ascii: "\"") {
                        if p + 1 < body.count, body[p + 1] == UInt8(ascii: "\"") {
                            field.append(q)
                            p += 2
                            continue
                        }
                        p += 1
                        closed = true
                        break
                    }
                    if q == 0x0A { line += 1 }
                    field.append(q)
                    p += 1
                }
                guard closed else { throw ServingError(.badRequest, "Invalid input. CSV line \(line): a quoted field is not closed") }
                guard p >= body.count || body[p] == UInt8(ascii: ",") || body[p] == 0x0A || body[p] == 0x0D else {
                    throw ServingError(.badRequest, "Invalid input. CSV line \(line): characters after a closing quote")
                }
                continue
            }
            switch c {
            case UInt8(ascii: ","):
                try endField()
            case 0x0D where p + 1 < body.count && body[p + 1] == 0x0A:
                break  // the LF ends the record
            case 0x0A, 0x0D:
                try endField()
                endRecord()
                line += 1
            default:
                if quoted { throw ServingError(.badRequest, "Invalid input. CSV line \(line): characters after a closing quote") }
                field.append(c)
            }
            p += 1
        }
        if !field.isEmpty || quoted || !record.isEmpty {
            try endField()
            endRecord()
        }
        return records
    }
}
