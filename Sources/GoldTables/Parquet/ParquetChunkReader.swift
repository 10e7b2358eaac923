import Synchronization

/// Safety limits against hostile files (allocation bombs). The defaults admit every real file.
struct PQLimits: Sendable {
    /// Level entries one page may declare.
    var maxValuesPerPage = 1 << 28
    /// Uncompressed bytes one page may declare.
    var maxPageBytes = Int(Int32.max)
    /// Level entries one column chunk may hold.
    var maxValuesPerChunk = 1 << 34
}

/// Decode buffers kept between column chunks of one file.
final class PQScratchPool: Sendable {
    typealias Buffers = ([UInt8], [UInt8], [Int16], [Int32], [Int64])
    private let free = Mutex<[Buffers]>([])

    func take() -> Buffers {
        free.withLock { $0.popLast() } ?? ([], [], [], [], [])
    }

    func give(_ b: Buffers) {
        // Keep at most a few sets, none huge.
        guard b.0.count + b.1.count <= 1 << 26 else { return }
        free.withLock { if $0.count < 4 { $0.append(b) } }
    }
}

/// The decoded content of one column chunk.
struct PQChunkData {
    /// Definition / repetition levels (levels mode only; nil when the max level is 0).
    var def: [Int16]?
    var rep: [Int16]?
    /// Flat mode: row validity, nil when no entry is null.
    var validity: [Bool]?
    var values: PQValueBuffer
    var dictionary: PQValueBuffer?
    /// Level entries read.
    var entries: Int
}

/// Walks the pages of one column chunk and decodes them.
struct PQChunkReader {
    let file: UnsafeRawBufferPointer
    let leaf: ParquetLeaf
    let chunk: ParquetColumnChunk
    /// Keep def/rep levels (nested and `readLeaf`); otherwise produce row validity (flat columns).
    let keepLevels: Bool
    /// Keep byte-array columns dictionary-coded when every page is.
    let keepDictionary: Bool
    let limits: PQLimits
    /// Reusable decode buffers (saves page faults on every chunk).
    var pool: PQScratchPool? = nil

    func read() throws -> PQChunkData {
        guard let codec = chunk.codec else { throw PQDecodeError("unknown compression codec id \(chunk.codecId)") }
        if codec == .lzo { throw PQDecodeError("LZO compression is not supported") }
        if let pt = chunk.physicalType, pt != leaf.physicalType {
            throw PQDecodeError("column chunk type \(pt) differs from the schema type \(leaf.physicalType)")
        }
        guard chunk.numValues >= 0, chunk.numValues <= Int64(limits.maxValuesPerChunk) else {
            throw PQDecodeError("column chunk declares \(chunk.numValues) values")
        }
        let totalEntries = Int(chunk.numValues)
        var start = chunk.dataPageOffset
        if let d = chunk.dictionaryPageOffset, d > 0, d < start { start = d }
        let length = chunk.totalCompressedSize
        guard start >= 4, length >= 0, start <= Int64(file.count), length <= Int64(file.count) - start else {
            throw PQDecodeError("column chunk byte range [\(start), +\(length)) is outside the file (\(file.count) bytes)")
        }
        let end = Int(start + length)
        var pos = Int(start)

        var values = PQValueBuffer(physical: leaf.physicalType, typeLength: leaf.typeLength ?? 0)
        values.reserve(min(totalEntries, 1 << 22))
        let isByteArray = leaf.physicalType == .byteArray || leaf.physicalType == .fixedLenByteArray
        if isByteArray && keepDictionary { values.dictIndices = [] }
        var dict: PQValueBuffer?
        let keepDef = keepLevels && leaf.maxDef > 0
        let keepRep = keepLevels && leaf.maxRep > 0
        var def: [Int16] = []
        var rep: [Int16] = []
        if keepDef { def.reserveCapacity(min(totalEntries, 1 << 22)) }
        if keepRep { rep.reserveCapacity(min(totalEntries, 1 << 22)) }
        /// Flat mode: row validity, only materialised once a null is seen.
        var validity: [Bool] = []
        var hasNulls = false
        var entries = 0
        var (scratch, scratch2, levelScratch, indexScratch, deltaScratch) = pool?.take() ?? ([], [], [], [], [])
        defer { pool?.give((scratch, scratch2, levelScratch, indexScratch, deltaScratch)) }
        var pageNo = 0

        let defWidth = Self.bitWidth(leaf.maxDef)
        let repWidth = Self.bitWidth(leaf.maxRep)

        /// Decompresses `src` into `buf` (exactly `size` bytes) unless the codec is UNCOMPRESSED.
        /// Returns false when `src` is used as is (no compression), true when `buf` holds the bytes.
        func inflate(_ src: UnsafeRawBufferPointer, size: Int, into buf: inout [UInt8], compressed: Bool) throws -> Bool {
            if !compressed || codec == .uncompressed {
                guard src.count == size else {
                    throw PQDecodeError("page holds \(src.count) bytes, header says \(size) uncompressed")
                }
                return false
            }
            guard size <= limits.maxPageBytes else { throw PQDecodeError("page declares \(size) uncompressed bytes") }
            if buf.count < size { buf = [UInt8](repeating: 0, count: size) }
            let produced = try buf.withUnsafeMutableBytes { dst in
                try Codec.decompress(src, codec: codec, into: UnsafeMutableRawBufferPointer(rebasing: dst[0 ..< size]))
            }
            guard produced == size else {
                throw PQDecodeError("\(codec.name) page decompressed to \(produced) bytes, header says \(size)")
            }
            return true
        }

        /// Decodes levels of one page; returns the number of non-null values.
        func levels(repData: UnsafeRawBufferPointer?, defData: UnsafeRawBufferPointer?, n: Int) throws -> Int {
            if leaf.maxRep > 0 {
                guard let r = repData else { throw PQDecodeError("page lacks repetition levels") }
                if keepRep {
                    try Self.appendLevels(&rep, r, width: repWidth, count: n, max: leaf.maxRep, what: "repetition")
                } else {
                    levelScratch.removeAll(keepingCapacity: true)
                    try Self.appendLevels(&levelScratch, r, width: repWidth, count: n, max: leaf.maxRep, what: "repetition")
                }
            }
            guard leaf.maxDef > 0 else { return n }
            guard let d = defData else { throw PQDecodeError("page lacks definition levels") }
            let maxDef = Int16(leaf.maxDef)
            var nonNull = 0
            if keepDef {
                let old = def.count
                try Self.appendLevels(&def, d, width: defWidth, count: n, max: leaf.maxDef, what: "definition")
                def.withUnsafeBufferPointer { b in
                    for i in old ..< b.count where b[i] == maxDef { nonNull += 1 }
                }
            } else {
                // Fast path: one RLE run of max_def covering the page (no nulls).
                if !hasNulls, Self.singleRun(d, value: leaf.maxDef, width: defWidth, count: n) { return n }
                levelScratch.removeAll(keepingCapacity: true)
                try Self.appendLevels(&levelScratch, d, width: defWidth, count: n, max: leaf.maxDef, what: "definition")
                levelScratch.withUnsafeBufferPointer { b in
                    for l in b where l == maxDef { nonNull += 1 }
                }
                if nonNull != n || hasNulls {
                    if !hasNulls {
                        validity = [Bool](repeating: true, count: entries)
                        hasNulls = true
                    }
                    pqReserve(&validity, extra: n)
                    for l in levelScratch { validity.append(l == maxDef) }
                }
            }
            return nonNull
        }

        func decodeValues(_ src: UnsafeRawBufferPointer, encoding: Int32, count n: Int) throws {
            let before = values.count
            switch encoding {
            case PQEncoding.plain:
                if isByteArray { values.materializeDictionary(dict) }
                try values.appendPlain(src, count: n)
            case PQEncoding.plainDictionary, PQEncoding.rleDictionary:
                guard let d = dict else { throw PQDecodeError("dictionary-encoded page without a dictionary page") }
                guard n > 0 else { break }
                guard src.count >= 1 else { throw PQDecodeError("dictionary indices lack their bit width byte") }
                let bw = Int(src[0])
                guard bw <= 32 else { throw PQDecodeError("dictionary index bit width \(bw) is greater than 32") }
                if indexScratch.count < n { indexScratch = [Int32](repeating: 0, count: n) }
                let dcount = d.count
                try indexScratch.withUnsafeMutableBufferPointer { ib in
                    guard let ibase = ib.baseAddress else { return }
                    _ = try PQHybrid.decode(UnsafeRawBufferPointer(rebasing: src[1...]), bitWidth: bw, count: n, into: ibase)
                    // Branch-free maximum (vectorises), then locate the offender only on failure.
                    var maxIndex: UInt32 = 0
                    for i in 0 ..< n { maxIndex = max(maxIndex, UInt32(bitPattern: ibase[i])) }
                    if maxIndex >= UInt32(clamping: dcount) {
                        throw PQDecodeError("dictionary index \(maxIndex) out of range (dictionary has \(dcount) entries)")
                    }
                    values.appendFromDictionary(UnsafeBufferPointer(rebasing: ib[0 ..< n]), d, keepIndices: keepDictionary)
                }
            case PQEncoding.rle:
                try values.appendRLEBooleans(src, count: n)
            case PQEncoding.deltaBinaryPacked:
                try values.appendDeltaBinaryPacked(src, count: n, scratch: &deltaScratch)
            case PQEncoding.deltaLengthByteArray:
                values.materializeDictionary(dict)
                try values.appendDeltaLength(src, count: n, scratch: &deltaScratch)
            case PQEncoding.deltaByteArray:
                values.materializeDictionary(dict)
                try values.appendDeltaByteArray(src, count: n, scratch: &deltaScratch)
            case PQEncoding.byteStreamSplit:
                values.materializeDictionary(dict)
                try values.appendByteStreamSplit(src, count: n)
            default:
                throw PQDecodeError("unsupported value encoding \(PQEncoding.name(encoding))")
            }
            guard values.count - before == n else {
                throw PQDecodeError("page decoded \(values.count - before) values, expected \(n)")
            }
        }

        while pos < end && entries < totalEntries {
            var r = ThriftReader(UnsafeRawBufferPointer(rebasing: file[pos ..< end]))
            let header: PQPageHeader
            do { header = try PQThriftDecode.pageHeader(&r) } catch let e as PQDecodeError {
                throw PQDecodeError("page \(pageNo) header at byte \(pos): \(e.message)")
            }
            let payloadStart = pos + r.pos
            guard header.compressedSize <= end - payloadStart else {
                throw PQDecodeError("page \(pageNo) at byte \(pos): compressed size \(header.compressedSize) past the end of the column chunk")
            }
            guard header.uncompressedSize <= limits.maxPageBytes else {
                throw PQDecodeError("page \(pageNo) at byte \(pos): declares \(header.uncompressedSize) uncompressed bytes")
            }
            let payload = UnsafeRawBufferPointer(rebasing: file[payloadStart ..< payloadStart + header.compressedSize])
            do {
                switch header.type {
                case 2: // DICTIONARY_PAGE
                    guard let dh = header.dict else { throw PQDecodeError("dictionary page lacks its header") }
                    guard dict == nil else { throw PQDecodeError("second dictionary page in one column chunk") }
                    guard dh.numValues >= 0, dh.numValues <= limits.maxValuesPerPage else {
                        throw PQDecodeError("dictionary page declares \(dh.numValues) values")
                    }
                    guard dh.encoding == PQEncoding.plain || dh.encoding == PQEncoding.plainDictionary else {
                        throw PQDecodeError("dictionary page encoding \(PQEncoding.name(dh.encoding)) is not PLAIN")
                    }
                    var d = PQValueBuffer(physical: leaf.physicalType, typeLength: leaf.typeLength ?? 0)
                    let inflated = try inflate(payload, size: header.uncompressedSize, into: &scratch, compressed: true)
                    if !inflated {
                        try d.appendPlain(payload, count: dh.numValues)
                    } else {
                        try scratch.withUnsafeBytes { _ = try d.appendPlain(UnsafeRawBufferPointer(rebasing: $0[0 ..< header.uncompressedSize]), count: dh.numValues) }
                    }
                    dict = d
                case 0: // DATA_PAGE
                    guard let h = header.v1 else { throw PQDecodeError("data page lacks its header") }
                    let n = h.numValues
                    guard n >= 0, n <= limits.maxValuesPerPage, n <= totalEntries - entries else {
                        throw PQDecodeError("data page declares \(n) values (\(totalEntries - entries) remain in the chunk)")
                    }
                    let inflated = try inflate(payload, size: header.uncompressedSize, into: &scratch, compressed: true)
                    func body(_ page: UnsafeRawBufferPointer) throws {
                        var cur = 0
                        func block(_ what: String) throws -> UnsafeRawBufferPointer {
                            guard page.count - cur >= 4, let b = page.baseAddress else {
                                throw PQDecodeError("\(what) level length past the end of the page")
                            }
                            let len = Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: cur, as: UInt32.self)))
                            guard len <= page.count - cur - 4 else { throw PQDecodeError("\(what) level length \(len) past the end of the page") }
                            let out = UnsafeRawBufferPointer(rebasing: page[cur + 4 ..< cur + 4 + len])
                            cur += 4 + len
                            return out
                        }
                        if leaf.maxRep > 0 && h.repEncoding == PQEncoding.bitPacked || leaf.maxDef > 0 && h.defEncoding == PQEncoding.bitPacked {
                            throw PQDecodeError("legacy BIT_PACKED levels are not supported")
                        }
                        let repData = leaf.maxRep > 0 ? try block("repetition") : nil
                        let defData = leaf.maxDef > 0 ? try block("definition") : nil
                        let nonNull = try levels(repData: repData, defData: defData, n: n)
                        try decodeValues(UnsafeRawBufferPointer(rebasing: page[cur...]), encoding: h.encoding, count: nonNull)
                    }
                    if !inflated { try body(payload) } else {
                        try scratch.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0 ..< header.uncompressedSize])) }
                    }
                    entries += n
                case 3: // DATA_PAGE_V2
                    guard let h = header.v2 else { throw PQDecodeError("data page v2 lacks its header") }
                    let n = h.numValues
                    guard n >= 0, n <= limits.maxValuesPerPage, n <= totalEntries - entries else {
                        throw PQDecodeError("data page declares \(n) values (\(totalEntries - entries) remain in the chunk)")
                    }
                    guard h.repLength >= 0, h.defLength >= 0, h.repLength <= payload.count, h.defLength <= payload.count - h.repLength,
                          h.repLength + h.defLength <= header.uncompressedSize else {
                        throw PQDecodeError("data page v2 level lengths (\(h.repLength), \(h.defLength)) past the end of the page")
                    }
                    let lv = h.repLength + h.defLength
                    let repData = UnsafeRawBufferPointer(rebasing: payload[0 ..< h.repLength])
                    let defData = UnsafeRawBufferPointer(rebasing: payload[h.repLength ..< lv])
                    let nonNull = try levels(repData: repData, defData: defData, n: n)
                    let valuesSrc = UnsafeRawBufferPointer(rebasing: payload[lv...])
                    let size = header.uncompressedSize - lv
                    let inflated = try inflate(valuesSrc, size: size, into: &scratch2, compressed: h.isCompressed)
                    if !inflated {
                        try decodeValues(valuesSrc, encoding: h.encoding, count: nonNull)
                    } else {
                        try scratch2.withUnsafeBytes { try decodeValues(UnsafeRawBufferPointer(rebasing: $0[0 ..< size]), encoding: h.encoding, count: nonNull) }
                    }
                    entries += n
                default:
                    break // INDEX_PAGE and unknown page types are skipped.
                }
            } catch let e as PQDecodeError {
                throw PQDecodeError("page \(pageNo) at byte \(pos): \(e.message)")
            } catch let e as CodecError {
                throw PQDecodeError("page \(pageNo) at byte \(pos): \(e.description)")
            }
            pos = payloadStart + header.compressedSize
            pageNo += 1
        }
        guard entries == totalEntries else {
            throw PQDecodeError("column chunk ends after \(entries) of \(totalEntries) values")
        }
        return PQChunkData(def: keepDef ? def : nil, rep: keepRep ? rep : nil, validity: hasNulls ? validity : nil,
                           values: values, dictionary: dict, entries: entries)
    }

    /// True when `src` starts with one RLE run of `value` at least `count` long.
    static func singleRun(_ src: UnsafeRawBufferPointer, value: Int, width: Int, count: Int) -> Bool {
        var header: UInt64 = 0
        var shift: UInt64 = 0
        var pos = 0
        while pos < src.count && pos < 9 {
            let b = src[pos]
            pos += 1
            header |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 {
                guard header & 1 == 0, header >> 1 >= UInt64(count) else { return false }
                let bytes = (width + 7) / 8
                guard src.count - pos >= bytes else { return false }
                var v = 0
                for i in 0 ..< bytes { v |= Int(src[pos + i]) << (8 * i) }
                return v == value
            }
            shift += 7
        }
        return false
    }

    static func bitWidth(_ maxLevel: Int) -> Int {
        maxLevel <= 0 ? 0 : Int.bitWidth - maxLevel.leadingZeroBitCount
    }

    /// Appends `count` hybrid-coded levels, checking each is at most `max`.
    static func appendLevels(_ out: inout [Int16], _ src: UnsafeRawBufferPointer, width: Int, count: Int, max: Int, what: String) throws {
        guard count > 0 else { return }
        let old = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        let maxLevel = Int16(max)
        try out.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            _ = try PQHybrid.decode(src, bitWidth: width, count: count, into: base + old)
            for i in old ..< b.count where b[i] > maxLevel || b[i] < 0 {
                throw PQDecodeError("\(what) level \(b[i]) exceeds the maximum \(max)")
            }
        }
    }
}
