import Registry
import Testing
import Tracking

@Suite struct ModelURITests {
    static let good: [(String, ModelURI)] = [
        ("models:/churn/3", .version(name: "churn", version: 3)),
        ("models:/churn/0003", .version(name: "churn", version: 3)),
        ("models:/churn@champion", .alias(name: "churn", alias: "champion")),
        ("models:/churn-eu_2@challenger-b", .alias(name: "churn-eu_2", alias: "challenger-b")),
        ("models:/churn/Production", .stage(name: "churn", stage: .production)),
        ("models:/churn/staging", .stage(name: "churn", stage: .staging)),
        ("models:/churn/NONE", .stage(name: "churn", stage: .none)),
        ("models:/churn/Archived", .stage(name: "churn", stage: .archived)),
        ("models:/churn/latest", .latest(name: "churn")),
        ("models:/churn/Latest", .latest(name: "churn")),
        ("models:/my model/1", .version(name: "my model", version: 1)),
        ("runs:/0123abcd/model", .run(runId: "0123abcd", path: "model")),
        ("runs:/0123abcd/a/b/model/", .run(runId: "0123abcd", path: "a/b/model")),
        ("runs:/0123abcd/./model", .run(runId: "0123abcd", path: "model")),
    ]

    @Test(arguments: good)
    func parses(_ text: String, _ expected: ModelURI) throws {
        #expect(try ModelURI(parsing: text) == expected)
    }

    @Test func canonicalSpelling() throws {
        #expect(try ModelURI(parsing: "models:/churn/production").description == "models:/churn/Production")
        #expect(try ModelURI(parsing: "models:/churn/007").description == "models:/churn/7")
        #expect(try ModelURI(parsing: "runs:/r/x//y/").description == "runs:/r/x/y")
        #expect(try ModelURI(parsing: "models:/churn@champion").modelName == "churn")
        #expect(try ModelURI(parsing: "runs:/r/model").modelName == nil)
    }

    static let bad: [(String, String)] = [
        ("", "expected models:/"),
        ("churn/3", "expected models:/"),
        ("model:/churn/3", "expected models:/"),
        ("models:/", "expected models:/<name>"),
        ("models:/churn", "expected models:/<name>"),
        ("models:/churn/", "empty"),
        ("models:/churn/3/extra", "expected models:/<name>"),
        ("models:/churn/0", "not a positive integer"),
        ("models:/churn/99999999999999999999999", "not a positive integer"),
        ("models:/churn/-1", "neither a version"),
        ("models:/churn/Prod", "neither a version"),
        ("models:/churn@", "alias after '@' is empty"),
        ("models:/@champion", "model name is empty"),
        ("models:/churn@champion/3", "Invalid alias name"),
        ("models:/churn@latest", "reserved"),
        ("models:/m-0123abcd", "logged-model URIs"),
        ("models://profile/churn/1", "profile or host"),
        ("models:/bad:name/1", "contains ':'"),
        ("runs:/", "expected runs:/<run_id>/<path>"),
        ("runs:/0123abcd", "expected runs:/<run_id>/<path>"),
        ("runs:/0123abcd/", "artifact path after the run id is empty"),
        ("runs://host/0123abcd/model", "host part"),
        ("runs:/0123abcd/../other/model", "'..'"),
    ]

    @Test(arguments: bad)
    func rejectsNamingTheURI(_ text: String, _ why: String) async {
        await expectRegistryError(.invalidParameterValue, mentioning: ["'\(text)'", why]) { try ModelURI(parsing: text) }
    }
}
