import ArgumentParser
import Foundation
import ModelPackage
import Trainers

/// `mltrack recommend MODEL_DIR --user ID` / `--similar-to ITEM`: top-k items from an ALS model
/// package, one `item_id<TAB>score` line each.
struct RecommendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recommend",
        abstract: "Recommend items for a user (or items similar to an item) from an ALS model package.",
        discussion: """
        Prints one `item_id<TAB>score` line per item, best first. A user the model does not know gets \
        the most popular items (score = number of training users), and a note on stderr says so.
        """
    )

    @Argument(help: "The model package directory (from `mltrack train als`).")
    var model: String

    @Option(help: "The user to recommend for.") var user: String?
    @Option(name: .customLong("similar-to"), help: "List the items most similar to this item instead.") var similarTo: String?
    @Option(help: "How many items.") var k = 10
    @Flag(name: .customLong("include-seen"), help: "Keep items the user interacted with in training.") var includeSeen = false

    func validate() throws {
        if (user == nil) == (similarTo == nil) { throw ValidationError("Give exactly one of --user and --similar-to.") }
        if k < 1 { throw ValidationError("--k must be ≥ 1.") }
    }

    func run() throws {
        let als = try ModelPackage.load(from: URL(fileURLWithPath: model)).model(as: ALSModel.self)
        let list: [(item: String, score: Float)]
        if let similarTo {
            list = try als.similarItems(item: similarTo, k: k)
        } else if let user {
            if als.users.index(of: user) == nil {
                ProgressPrinter.status("user \(user) is unknown to the model: the \(k) most popular items (score = training users)")
            }
            list = als.recommend(user: user, k: k, excludeSeen: !includeSeen)
        } else {
            list = []
        }
        var out = StdoutWriter()
        for r in list { out.write("\(r.item)\t\(r.score)\n") }
        out.flush()
    }
}
