// libFuzzer entry for the Parquet reader. Built by Fuzz/run.sh together with the GoldTables
// sources as one module, so it can use the in-memory initialiser and tighter allocation limits.

@_cdecl("LLVMFuzzerTestOneInput")
public func parquetFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var limits = PQLimits()
    limits.maxValuesPerPage = 1 << 20
    limits.maxPageBytes = 1 << 24
    limits.maxValuesPerChunk = 1 << 22
    guard let file = try? ParquetFile(storage: PQStorage(bytes: bytes), path: "fuzz", limits: limits) else { return 0 }
    for g in 0 ..< min(file.rowGroupCount, 4) {
        guard file.metadata.rowGroups[g].numRows <= 1 << 22 else { continue }
        _ = try? file.readRowGroup(g, columns: nil)
        for leaf in file.leaves.prefix(32) {
            _ = try? file.readLeaf(path: leaf.path, rowGroup: g)
        }
    }
    if let ds = try? file.scan(columns: nil) {
        var n = 0
        while n < 4, (try? ds.next()) != nil { n += 1 }
    }
    return 0
}
