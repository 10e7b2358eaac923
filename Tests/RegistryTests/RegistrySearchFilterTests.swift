import Registry
import Testing
import Tracking

@Suite struct RegistrySearchFilterTests {
    static let cases: [(String, String, String?, [String: String], Bool)] = [
        // filter, name, run id, tags, expected match
        ("name = 'churn'", "churn", nil, [:], true),
        ("name = \"churn\"", "churn", nil, [:], true),
        ("NAME = 'churn'", "churn", nil, [:], true),
        ("name = 'churn'", "Churn", nil, [:], false),
        ("name != 'churn'", "other", nil, [:], true),
        ("name LIKE 'ch%'", "churn", nil, [:], true),
        ("name LIKE 'Ch%'", "churn", nil, [:], false),
        ("name ILIKE 'Ch%'", "churn", nil, [:], true),
        ("name like 'c_urn'", "churn", nil, [:], true),
        ("name LIKE 'c_urn'", "chhurn", nil, [:], false),
        ("name LIKE '%urn%'", "churn", nil, [:], true),
        ("name LIKE ''", "", nil, [:], true),
        ("run_id = 'abc'", "m", "abc", [:], true),
        ("run_id = 'abc'", "m", nil, [:], false),
        ("run_id IN ('x', 'abc')", "m", "abc", [:], true),
        ("name = 'm' AND run_id = 'abc'", "m", "abc", [:], true),
        ("name = 'm' and run_id = 'zzz'", "m", "abc", [:], false),
        ("tags.team = 'growth'", "m", nil, ["team": "growth"], true),
        ("tags.team = 'growth'", "m", nil, [:], false),
        ("tags.team != 'growth'", "m", nil, [:], false),   // a missing tag never matches (MLflow, checked)
        ("tags.team != 'growth'", "m", nil, ["team": "ops"], true),
        ("tags.team LIKE '%'", "m", nil, [:], false),
        ("tag.`mlflow.prompt.is_prompt` != 'true'", "m", nil, [:], true),
        ("tag.`mlflow.prompt.is_prompt` != 'true'", "m", nil, ["mlflow.prompt.is_prompt": "true"], false),
        ("tag.`mlflow.prompt.is_prompt` != 'true'", "m", nil, ["mlflow.prompt.is_prompt": "false"], true),
        ("tags.`mlflow.prompt.is_prompt` = 'false'", "m", nil, [:], true),       // the clause is dropped
        ("tags.`mlflow.prompt.is_prompt` = 'true'", "m", nil, [:], false),       // asks for prompts
        ("tags.`mlflow.prompt.is_prompt` = 'true'", "p", nil, ["mlflow.prompt.is_prompt": "true"], true),
        ("tags.`mlflow.prompt.is_prompt` != 'false'", "p", nil, ["mlflow.prompt.is_prompt": "true"], true),
        ("name = 'p'", "p", nil, ["mlflow.prompt.is_prompt": "true"], false),   // prompts left out by default
        ("", "p", nil, ["mlflow.prompt.is_prompt": "true"], false),
        ("tags.\"a b\" = 'x'", "m", nil, ["a b": "x"], true),
        ("", "m", nil, [:], true),
    ]

    @Test(arguments: cases)
    func matches(_ filter: String, _ name: String, _ runId: String?, _ tags: [String: String], _ expected: Bool) throws {
        let f = try RegistrySearchFilter(parsing: filter, forVersions: true)
        #expect(f.matches(name: name, runId: runId, tags: tags) == expected)
    }

    static let errors: [(String, String)] = [
        ("name = 'a' OR name = 'b'", "OR"),
        ("name = churn", "quoted string"),
        ("name = 'unterminated", "unterminated"),
        ("name >= 'a'", ">= applies to version_number only"),
        ("foo = '1'", "unsupported key 'foo'"),
        ("version_number LIKE '1'", "version_number takes"),
        ("version_number > 'x'", "integer"),
        ("source_path IN ('a')", "IN applies"),
        ("name NOT 'a'", "expected IN after NOT"),
        ("name", "missing comparator"),
        ("name =", "quoted string"),
        ("name = 'a' AND", "expected a comparison"),
        ("tags.team IN ('a')", "IN applies"),
        ("name IN 'a'", "parenthesised"),
        ("name IN ('a' 'b')", "parenthesised"),
        ("`x` = 'a'", "backtick"),
    ]

    @Test(arguments: errors)
    func errorsNameTheFilter(_ filter: String, _ why: String) async {
        await expectRegistryError(.invalidParameterValue, mentioning: [filter, why]) { try RegistrySearchFilter(parsing: filter, forVersions: true) }
    }

    /// Version attributes, as MLflow's model-version search has them (checked against mlflow 3.17.2).
    @Test func versionAttributes() async throws {
        func match(_ filter: String, source: String = "s3://b/m", version: Int = 3, runId: String? = "r1") throws -> Bool {
            try RegistrySearchFilter(parsing: filter, forVersions: true).matches(name: "m", runId: runId, tags: [:], source: source, version: version)
        }
        #expect(try match("version_number > 1") && !match("version_number > 3") && match("version_number >= 3"))
        #expect(try match("version_number < 4") && !match("version_number <= 2") && match("version_number = '3'") && match("version_number != 2"))
        #expect(try match("source_path = 's3://b/m'") && !match("source_path = 's3://b/x'") && match("source_path LIKE 's3://%'"))
        #expect(try match("run_id NOT IN ('r2', 'r3')") && !match("run_id NOT IN ('r1')") && !match("run_id NOT IN ('r1')", runId: nil))
        #expect(try match("name NOT IN ('x') AND version_number > 2"))
        await expectRegistryError(.invalidParameterValue, mentioning: ["version_number", "versions only"]) {
            try RegistrySearchFilter(parsing: "version_number > 1", forVersions: false)
        }
    }

    @Test func runIdOnlyForVersions() async {
        await expectRegistryError(.invalidParameterValue, mentioning: ["run_id", "model versions only"]) {
            try RegistrySearchFilter(parsing: "run_id = 'x'", forVersions: false)
        }
    }
}

@Suite struct RegistryStoreConvenienceTests {
    @Test func versionsOfModelsWithQuotesInTheirNames() async throws {
        let store = InMemoryRegistryStore(clock: TickClock().function)
        for name in ["o'brien", "say \"hi\"", "both ' and \"", "plain"] {
            _ = try await store.createRegisteredModel(name: name)
            _ = try await store.createModelVersion(name: name, source: "file:///\(name)/1")
            _ = try await store.createModelVersion(name: name, source: "file:///\(name)/2")
            #expect(try await store.modelVersions(name: name).map { "\($0.name)/\($0.version)" } == ["\(name)/2", "\(name)/1"])
        }
        #expect(RegistrySearchFilter.literal("o'brien") == "\"o'brien\"")
        #expect(RegistrySearchFilter.literal("both ' and \"") == nil)
        await expectRegistryError(.resourceDoesNotExist) { try await store.modelVersions(name: "nosuch") }
    }
}

@Suite struct RegistryPageTests {
    @Test func tokensAreMLflows() throws {
        // The reference's example token for offset 1.
        #expect(RegistryPage<Int>.token(offset: 1) == "eyJvZmZzZXQiOiAxfQ==")
        #expect(try RegistryPage<Int>.offset(of: "eyJvZmZzZXQiOiAxfQ==") == 1)
        #expect(try RegistryPage<Int>.offset(of: nil) == 0 && RegistryPage<Int>.offset(of: "") == 0)
        let page = try RegistryPage.slice([1, 2, 3, 4, 5], maxResults: 2, limit: 10, pageToken: RegistryPage<Int>.token(offset: 2))
        #expect(page.items == [3, 4] && page.nextPageToken == RegistryPage<Int>.token(offset: 4))
        let past = try RegistryPage.slice([1, 2], maxResults: 2, limit: 10, pageToken: RegistryPage<Int>.token(offset: 9))
        #expect(past.items.isEmpty && past.nextPageToken == nil)
    }
}
