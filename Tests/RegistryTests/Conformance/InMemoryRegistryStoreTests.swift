import Registry
import Testing
import Tracking

/// The in-memory store passes the conformance suite, plus what only it can be asked (an injected
/// clock, a run locator).
@Suite struct InMemoryRegistryStoreTests {
    @Test(arguments: RegistryStoreConformance.checks)
    func conformance(_ check: RegistryConformanceCheck) async throws {
        try await check.run(InMemoryRegistryStore(clock: TickClock().function))
    }

    struct Runs: RunArtifactLocator {
        func artifactURI(runId: String) async throws -> String {
            guard runId == "0123abcd" else { throw TrackingError(.resourceDoesNotExist, "Run with id=\(runId) not found") }
            return "file:///tmp/mltrack/1/0123abcd/artifacts/"
        }
    }

    @Test func runURIsResolveThroughTheLocator() async throws {
        let store = InMemoryRegistryStore(clock: TickClock().function, runs: Runs())
        let r = try await store.resolve(uri: "runs:/0123abcd/model")
        #expect(r.source == "file:///tmp/mltrack/1/0123abcd/artifacts/model" && r.version == nil)
        #expect(r.uri == .run(runId: "0123abcd", path: "model"))
        await expectRegistryError(.resourceDoesNotExist, mentioning: ["runs:/ffff/model", "ffff"]) { try await store.resolve(uri: "runs:/ffff/model") }
        let blind = InMemoryRegistryStore()
        await expectRegistryError(.invalidParameterValue, mentioning: ["runs:/0123abcd/model"]) { try await blind.resolve(uri: "runs:/0123abcd/model") }
    }

    @Test func timestampsComeFromTheClock() async throws {
        let store = InMemoryRegistryStore(clock: TickClock().function)
        let m = try await store.createRegisteredModel(name: "m")
        #expect(m.creationTimestamp == 1_700_000_000_001 && m.lastUpdatedTimestamp == 1_700_000_000_001)
        let v = try await store.createModelVersion(name: "m", source: "file:///1")
        #expect(v.creationTimestamp == 1_700_000_000_002)
        #expect(try await store.registeredModel(name: "m").lastUpdatedTimestamp == 1_700_000_000_002)
        try await store.setAlias(name: "m", alias: "champion", version: 1)
        #expect(try await store.registeredModel(name: "m").lastUpdatedTimestamp == 1_700_000_000_003)
    }
}
