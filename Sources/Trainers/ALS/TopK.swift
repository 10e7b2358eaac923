/// Bounded top-k selection over a score buffer: one pass, keeping the best k seen so far in a
/// small sorted buffer (no sort of all candidates). Order: higher score first, equal scores by
/// ascending index — so the result is deterministic.
struct TopK {
    /// Selects from `scores[0 ..< count]`, skipping the indexes in `excluded` (ascending), into
    /// `outItems`/`outScores` (capacity ≥ k); returns how many were written (≤ k).
    static func select(_ scores: UnsafePointer<Float>, count: Int, k: Int, excluded: UnsafeBufferPointer<Int32>,
                       outItems: UnsafeMutablePointer<Int32>, outScores: UnsafeMutablePointer<Float>) -> Int {
        guard k > 0 else { return 0 }
        var filled = 0
        var next = 0  // position in `excluded`
        for j in 0 ..< count {
            if next < excluded.count, Int(excluded[next]) == j {
                next += 1
                continue
            }
            let s = scores[j]
            if filled == k {
                // Strictly better than the current k-th (an equal score loses: its index is larger).
                guard s > outScores[k - 1] else { continue }
            } else {
                filled += 1
            }
            // Shift worse entries down one slot; ties keep the earlier (smaller) index in front.
            var at = filled - 1
            while at > 0, outScores[at - 1] < s {
                outScores[at] = outScores[at - 1]
                outItems[at] = outItems[at - 1]
                at -= 1
            }
            outScores[at] = s
            outItems[at] = Int32(j)
        }
        return filled
    }
}
