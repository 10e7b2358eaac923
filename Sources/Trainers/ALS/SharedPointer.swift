/// A raw pointer handed to `Parallel.forEach` bodies that each write a disjoint part of the
/// buffer (one row of factors, one user's top-k slots). Sound only under that discipline.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    init(_ base: UnsafeMutablePointer<T>) { self.base = base }
}

/// A read-only raw pointer shared by `Parallel.forEach` bodies (the buffer outlives the loop).
struct SharedReadPointer<T>: @unchecked Sendable {
    let base: UnsafePointer<T>
    init(_ base: UnsafePointer<T>) { self.base = base }
}
