import Foundation

/// Runs `body(i)` for i in 0..<count, each on its own thread, all at once; returns the errors
/// thrown (`"thread i: error"`), empty when every body succeeded.
public func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
    final class Errors: @unchecked Sendable {
        // @unchecked: `items` is only touched under `lock`.
        let lock = NSLock()
        var items: [String] = []
        func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    }
    let errors = Errors()
    let group = DispatchGroup()
    for i in 0 ..< count {
        group.enter()
        let t = Thread {
            do { try body(i) } catch { errors.add("thread \(i): \(error)") }
            group.leave()
        }
        t.stackSize = 1 << 20
        t.start()
    }
    group.wait()
    return errors.items
}
