#if canImport(Glibc)
import Glibc
#endif

/// Process-wide allocator settings for column scans.
///
/// A scan allocates a fresh set of column arrays per row group (megabytes each) and frees the
/// previous set. glibc's defaults hand such blocks back to the kernel (munmap / heap trim) and the
/// next row group pays page faults and kernel zeroing for every page again (a quarter of a full
/// scan's time). Arrow's readers avoid this by keeping freed memory in their own pool (mimalloc).
/// ``retainFreedMemory()`` asks glibc to do the same: serve blocks up to 32 MiB from the heap and
/// keep up to 512 MiB of freed heap memory for reuse. Meant to be called once by an executable at
/// startup (the `mltrack` command does); a library never changes it behind its host's back.
public enum GoldMemory {
    /// Tunes glibc malloc for scans (no effect on other platforms). Returns false if glibc refused.
    @discardableResult
    public static func retainFreedMemory() -> Bool {
        #if canImport(Glibc)
        // mallopt is declared in <malloc.h>, which the Glibc module does not export.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let sym = dlsym(nil, "mallopt") else { return false }
        let mallopt = unsafeBitCast(sym, to: Mallopt.self)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        let a = mallopt(mmapThreshold, 32 << 20)
        let b = mallopt(trimThreshold, 512 << 20)
        return a == 1 && b == 1
        #else
        return false
        #endif
    }
}
