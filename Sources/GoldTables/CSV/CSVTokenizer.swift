/// One field of a record: byte range in the file (quotes excluded) and how it was written.
struct CSVFieldRef {
    var start: Int
    var end: Int
    /// Bit 0: the field was quoted. Bit 1: it contains doubled quotes (`""`) to unescape.
    var flags: UInt8

    var quoted: Bool { flags & 1 != 0 }
    var escaped: Bool { flags & 2 != 0 }
}

/// An RFC 4180 record splitter over a file's bytes: fields separated by `delimiter`, records by
/// `\n`, `\r\n` or `\r`; a field starting with `"` is quoted and may hold delimiters, line breaks and
/// doubled quotes. Blank lines are skipped. Tracks the 1-based line number of each record.
struct CSVTokenizer {
    let path: String
    let delimiter: UInt8
    var pos: Int
    /// Line number at `pos`.
    var line: Int

    init(path: String, delimiter: UInt8, pos: Int = 0, line: Int = 1) {
        self.path = path
        self.delimiter = delimiter
        self.pos = pos
        self.line = line
    }

    /// Reads the next record's fields into `fields` (cleared first). Returns the record's first line,
    /// or nil at the end of the file.
    mutating func next(_ buf: UnsafeRawBufferPointer, into fields: inout [CSVFieldRef]) throws -> Int? {
        fields.removeAll(keepingCapacity: true)
        return try nextAppending(buf, into: &fields)
    }

    /// Like ``next(_:into:)`` but appends the record's fields to `fields` (the record's field count is
    /// the growth of `fields`).
    mutating func nextAppending(_ buf: UnsafeRawBufferPointer, into fields: inout [CSVFieldRef]) throws -> Int? {
        let base = fields.count
        let n = buf.count
        let quote = UInt8(ascii: "\"")
        let d = delimiter
        // Skip blank lines.
        while pos < n {
            let b = buf[pos]
            if b == 0x0A {
                line += 1
                pos += 1
            } else if b == 0x0D {
                pos += 1
                if pos < n, buf[pos] == 0x0A { pos += 1 }
                line += 1
            } else {
                break
            }
        }
        guard pos < n else { return nil }
        let recordLine = line
        while true {
            if pos < n, buf[pos] == quote {
                // Quoted field.
                pos += 1
                let start = pos
                var flags: UInt8 = 1
                while true {
                    guard pos < n else {
                        throw CSVError(.unterminatedQuote, path: path, line: recordLine,
                                       "field \(fields.count - base + 1) opens a quote that is never closed")
                    }
                    let b = buf[pos]
                    if b == quote {
                        if pos + 1 < n, buf[pos + 1] == quote {
                            flags |= 2
                            pos += 2
                            continue
                        }
                        break
                    }
                    if b == 0x0A {
                        line += 1
                    } else if b == 0x0D, !(pos + 1 < n && buf[pos + 1] == 0x0A) {
                        line += 1
                    }
                    pos += 1
                }
                fields.append(CSVFieldRef(start: start, end: pos, flags: flags))
                pos += 1  // closing quote
                if pos < n {
                    let b = buf[pos]
                    if b != d && b != 0x0A && b != 0x0D {
                        throw CSVError(.badQuote, path: path, line: line,
                                       "field \(fields.count - base): unexpected character '\(Self.show(b))' after a closing quote (a quote inside a field must be doubled)")
                    }
                }
            } else {
                let start = pos
                while pos < n {
                    let b = buf[pos]
                    if b == d || b == 0x0A || b == 0x0D { break }
                    pos += 1
                }
                fields.append(CSVFieldRef(start: start, end: pos, flags: 0))
            }
            guard pos < n else { return recordLine }
            let b = buf[pos]
            pos += 1
            if b == d { continue }
            if b == 0x0D, pos < n, buf[pos] == 0x0A { pos += 1 }
            line += 1
            return recordLine
        }
    }

    private static func show(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + String(b, radix: 16)
    }

    /// The field's text with quotes unescaped.
    static func text(_ buf: UnsafeRawBufferPointer, _ f: CSVFieldRef) -> [UInt8] {
        var out: [UInt8] = []
        unescape(buf, f, into: &out)
        return out
    }

    static func unescape(_ buf: UnsafeRawBufferPointer, _ f: CSVFieldRef, into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        var i = f.start
        while i < f.end {
            let b = buf[i]
            out.append(b)
            i += b == UInt8(ascii: "\"") && f.escaped ? 2 : 1
        }
    }
}
