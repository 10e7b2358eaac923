import Foundation

/// Creates a directory atomically: the contents are built in a hidden temporary sibling
/// (`.<name>.tmp-<uuid>`), fsynced, and renamed into place; the parent is fsynced after.
enum AtomicDirectory {
    /// Runs `build` on a fresh temporary sibling of `dest`, then moves it to `dest`. On any error
    /// the temporary directory is removed and `dest` is untouched. With `overwrite`, an existing
    /// `dest` is first renamed aside and deleted only once the new one is in place.
    static func write<T>(to dest: String, overwrite: Bool, _ build: (String) throws -> T) throws -> T {
        let fm = FileManager.default
        let destURL = URL(fileURLWithPath: dest)
        let parent = destURL.deletingLastPathComponent().path
        let name = destURL.lastPathComponent
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw ModelPackageError(path: dest, "cannot create the parent directory: \(error.localizedDescription)")
        }
        let token = UUID().uuidString.prefix(8).lowercased()
        let tmp = parent + "/." + name + ".tmp-" + token
        do {
            try fm.createDirectory(atPath: tmp, withIntermediateDirectories: false)
        } catch {
            throw ModelPackageError(path: dest, "cannot create the temporary directory \(tmp): \(error.localizedDescription)")
        }
        var moved = false
        defer { if !moved { try? fm.removeItem(atPath: tmp) } }

        let result = try build(tmp)
        try PackageFile.syncDirectory(tmp)

        var aside: String?
        if overwrite, fm.fileExists(atPath: dest) {
            let old = parent + "/." + name + ".old-" + token
            guard rename(dest, old) == 0 else {
                throw ModelPackageError(path: dest, "cannot move the existing package aside: \(PackageFile.errnoText())")
            }
            aside = old
        }
        guard rename(tmp, dest) == 0 else {
            let e = errno
            if let aside { _ = rename(aside, dest) }
            if e == EEXIST || e == ENOTEMPTY || e == ENOTDIR || e == EISDIR {
                throw ModelPackageError(path: dest, "a file or package already exists here (pass overwrite to replace it)")
            }
            throw ModelPackageError(path: dest, "cannot rename the finished package into place: \(PackageFile.errnoText(e))")
        }
        moved = true
        if let aside { try? fm.removeItem(atPath: aside) }
        try PackageFile.syncDirectory(parent)
        return result
    }
}
