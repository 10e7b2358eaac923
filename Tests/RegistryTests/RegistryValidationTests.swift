import Registry
import Testing
import Tracking

@Suite struct RegistryValidationTests {
    @Test(arguments: ["champion", "challenger", "shadow-2", "prod_eu", "V", "v", "vx1", "v1a", "latest2", "été", "A_b-9"])
    func aliasAccepted(_ alias: String) throws {
        try RegistryValidation.alias(alias)
    }

    @Test(arguments: [
        ("latest", "reserved"), ("LATEST", "reserved"), ("Latest", "reserved"),
        ("v1", "reserved"), ("V2", "reserved"), ("v0042", "reserved"),
        ("", "empty"), ("has space", "alphanumerics"), ("a.b", "alphanumerics"), ("a/b", "alphanumerics"),
        ("a@b", "alphanumerics"), ("semi;colon", "alphanumerics"),
    ])
    func aliasRejected(_ alias: String, _ why: String) async {
        await expectRegistryError(.invalidParameterValue, mentioning: [why]) { try RegistryValidation.alias(alias) }
    }

    @Test func aliasLengthLimit() async throws {
        try RegistryValidation.alias(String(repeating: "a", count: 255))
        await expectRegistryError(.invalidParameterValue, mentioning: ["255"]) { try RegistryValidation.alias(String(repeating: "a", count: 256)) }
    }

    @Test func modelNames() async throws {
        for ok in ["churn", "Churn v2", "churn-eu_2", "模型", "a.b"] { try RegistryValidation.modelName(ok) }
        for (bad, why) in [("", "empty"), ("a/b", "'/'"), ("a@b", "'@'"), ("a:b", "':'"), (" a", "spaces"), ("a\n", "control"),
                           (String(repeating: "x", count: 257), "256")] {
            await expectRegistryError(.invalidParameterValue, mentioning: [why]) { try RegistryValidation.modelName(bad) }
        }
    }

    @Test func stagesParseInAnyCase() async throws {
        #expect(try ModelStage(parsing: "production") == .production)
        #expect(try ModelStage(parsing: "STAGING") == .staging)
        #expect(try ModelStage(parsing: "none") == .none)
        await expectRegistryError(.invalidParameterValue, mentioning: ["stage: prod.", "Production"]) { try ModelStage(parsing: "prod") }
    }
}
