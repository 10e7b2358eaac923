/// Names for runs created without one, in MLflow's `adjective-animal-NNN` shape.
///
/// ```swift
/// var rng = SystemRandomNumberGenerator()
/// RunNameGenerator.make(using: &rng)   // e.g. "bold-otter-417"
/// ```
public enum RunNameGenerator {
    static let adjectives = ["amber", "bold", "brave", "calm", "clever", "crisp", "daring", "eager", "fancy", "gentle",
                             "glad", "humble", "keen", "lively", "lucky", "merry", "nimble", "polite", "proud", "quiet",
                             "rare", "sharp", "shy", "silent", "smooth", "steady", "swift", "tidy", "vivid", "witty"]
    static let animals = ["ant", "bat", "bear", "bee", "crab", "crow", "deer", "dove", "eel", "finch",
                          "fox", "frog", "gull", "hare", "hawk", "ibis", "lark", "lynx", "mole", "moth",
                          "newt", "otter", "owl", "panda", "seal", "slug", "swan", "toad", "wasp", "wolf"]

    public static func make<G: RandomNumberGenerator>(using rng: inout G) -> String {
        let a = adjectives[Int.random(in: 0 ..< adjectives.count, using: &rng)]
        let b = animals[Int.random(in: 0 ..< animals.count, using: &rng)]
        return "\(a)-\(b)-\(Int.random(in: 0 ..< 1000, using: &rng))"
    }
}
