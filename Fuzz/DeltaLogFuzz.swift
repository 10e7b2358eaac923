// libFuzzer target for the Delta log reader. Built by Fuzz/run-delta.sh together with the
// GoldTables sources (one module, so internal parsers are reachable). Every input must end in a
// value or a thrown error: no crash, no hang, no unbounded allocation.
import Foundation

private let fuzzTable: String = {
    let dir = NSTemporaryDirectory() + "delta-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: dir + "/_delta_log", withIntermediateDirectories: true)
    let first = #"{"protocol":{"minReaderVersion":1,"minWriterVersion":2}}"# + "\n" +
        #"{"metaData":{"id":"f","format":{"provider":"parquet","options":{}},"schemaString":"{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}]}","partitionColumns":[],"configuration":{}}}"# + "\n"
    try? first.write(toFile: dir + "/_delta_log/00000000000000000000.json", atomically: true, encoding: .utf8)
    return dir
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func deltaLogFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // 1. Commit lines.
    _ = try? ActionParser.parseLines(bytes, table: "fuzz", file: "fuzz.json")
    // 2. Deletion-vector payload (bounded cardinality, as the reader passes it).
    _ = try? DeletionVectors.decodeBitmap(bytes, limit: 1 << 16)
    // 3. Text parsers.
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? DeltaSchema.parse(text)
    _ = try? DeletionVectors.z85Decode(text)
    _ = DeltaPartitions.parseTimestampMicros(text)
    _ = DeltaPartitions.parseDate(text)
    _ = DeltaPartitions.parseDecimal(text, scale: 3)
    _ = ActionParser.percentDecode(text)
    // 4. A whole table whose second commit is the input.
    let path = fuzzTable + "/_delta_log/00000000000000000001.json"
    if FileManager.default.createFile(atPath: path, contents: Data(bytes)) {
        if let t = try? DeltaTable(path: fuzzTable) {
            _ = try? t.snapshot()
            _ = try? t.history()
        }
    }
    return 0
}
