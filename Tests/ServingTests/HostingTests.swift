import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ModelPackage
import Serving
import ServiceLifecycle
import Synchronization
import Testing

/// Hosting: loading fails fast, the alias is followed, swaps are atomic under load, a failed
/// load keeps the old version serving.
@Suite struct HostingTests {
    @Test func specsParseNamesAndDefaults() throws {
        let spec = try HostedModelSpec(parsing: "recs=models:/recs@champion")
        #expect(spec.name == "recs" && spec.reference.follows)
        #expect(try HostedModelSpec(default: "models:/churn/3").name == "churn")
        #expect(try HostedModelSpec(default: "/tmp/pkg").name == "model")
        for bad in ["recs", "=models:/x/1", "a/b=models:/x/1", "..=models:/x/1", "a b=models:/x/1"] {
            #expect(throws: ServingError.self, "\(bad)") { try HostedModelSpec(parsing: bad) }
        }
    }

    @Test func loadingFailsFastNamingTheModel() async throws {
        let packages = try ServerPackages.get()
        let registry = try await ServerRegistry.make(packages)
        do {
            _ = try await ModelHost.load([try HostedModelSpec(default: "models:/churn@nobody")], resolver: registry.resolver, logger: testLogger)
            Issue.record("an unknown alias loaded")
        } catch {
            #expect(error.message.contains("nobody"), "\(error)")
        }
        do {
            _ = try await ModelHost.load([try HostedModelSpec(default: "models:/churn/3")], resolver: registry.resolver, logger: testLogger)
            Issue.record("a damaged package loaded")
        } catch {
            #expect(error.message.contains(packages.corrupt.path), "\(error)")
        }
        do {
            _ = try await ModelHost.load([try HostedModelSpec(default: "models:/churn/1"), try HostedModelSpec(parsing: "churn=models:/churn/2")],
                                         resolver: registry.resolver, logger: testLogger)
            Issue.record("a name given twice loaded")
        } catch {
            #expect(error.message.contains("twice"), "\(error)")
        }
    }

    @Test func refreshFollowsTheAliasAndFixedVersionsStay() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        #expect(await sut.host.refresh() == [.unchanged(name: "churn")])   // recs/1 is fixed: not polled
        try sut.registry.store.setAlias(name: "churn", alias: "champion", version: 2)
        #expect(await sut.host.refresh() == [.swapped(name: "churn", from: "churn/1", to: "churn/2")])
        #expect(sut.host.defaultModel?.versionLabel == "churn/2")
        #expect(sut.host.model(named: "recs")?.versionLabel == "recs/1")
        #expect(await sut.host.refresh() == [.unchanged(name: "churn")])
    }

    /// 8 clients × 150 requests while the alias moves v1 → v2: no request fails, each answer is
    /// exactly v1's or v2's and names that version, and every request sent after the swap
    /// returned gets v2.
    @Test func hotSwapUnderConcurrentLoadLosesNothing() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        let v1 = try packages.probabilities(packages.churnV1), v2 = try packages.probabilities(packages.churnV2)
        #expect(v1 != v2)
        let body = try packages.recordsBody()
        let swapped = SwapFlag()
        let registry = sut.registry, host = sut.host
        try await sut.server.makeApplication().test(.router) { client in
            let counts = try await withThrowingTaskGroup(of: [String: Int].self) { group in
                for worker in 0 ..< 8 {
                    group.addTask {
                        var seen: [String: Int] = [:]
                        for i in 0 ..< 150 {
                            if worker == 0 && i == 40 {
                                try registry.store.setAlias(name: "churn", alias: "champion", version: 2)
                                let outcome = await host.refresh()
                                #expect(outcome == [.swapped(name: "churn", from: "churn/1", to: "churn/2")])
                                swapped.set()
                            }
                            let after = swapped.isSet
                            let version = try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders, body: body) { r in
                                #expect(r.status == .ok)
                                let version = r.headers[ServingHeaders.modelVersion] ?? "none"
                                let values = try predictedProbabilities(r.body)
                                switch version {
                                case "churn/1": #expect(values == v1 && !after, "v1 answered after the swap")
                                case "churn/2": #expect(values == v2)
                                default: Issue.record("version header \(version)")
                                }
                                return version
                            }
                            seen[version, default: 0] += 1
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: [String: Int]()) { total, seen in total.merge(seen, uniquingKeysWith: +) }
            }
            #expect(counts.values.reduce(0, +) == 8 * 150)
            #expect((counts["churn/1"] ?? 0) >= 40 && (counts["churn/2"] ?? 0) >= 110, "\(counts)")
        }
        let metrics = text(ByteBuffer(bytes: sut.metrics.exposition()))
        #expect(metrics.contains(#"mltrack_model_swaps_total{model="churn"} 1"#))
        #expect(metrics.contains(#"mltrack_model_info{model="churn",version="churn/1"} 0.0"#))
        #expect(metrics.contains(#"mltrack_model_info{model="churn",version="churn/2"} 1.0"#))
    }

    /// The alias moves to a damaged package: the load fails, is counted, v1 keeps answering; the
    /// same target is retried only after backing off; a good version then swaps in.
    @Test func failedLoadKeepsTheOldVersionServing() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        let v1 = try packages.probabilities(packages.churnV1)
        try sut.registry.store.setAlias(name: "churn", alias: "champion", version: 3)
        let outcome = await sut.host.refresh()
        guard case .loadFailed(name: "churn", target: "churn/3", let message)? = outcome.first else {
            Issue.record("expected a failed load, got \(outcome)")
            return
        }
        #expect(message.contains(packages.corrupt.path))
        #expect(await sut.host.refresh() == [.backingOff(name: "churn", target: "churn/3")])
        try await sut.server.makeApplication().test(.router) { client in
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders, body: try packages.recordsBody()) { r in
                #expect(r.status == .ok)
                #expect(r.headers[ServingHeaders.modelVersion] == "churn/1")
                let got = try predictedProbabilities(r.body)
                #expect(got == v1)
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                #expect(text(r.body).contains(#"mltrack_model_load_failures_total{model="churn"} 1"#))
                #expect(text(r.body).contains(#"mltrack_model_swaps_total{model="churn"} 0"#))
            }
        }
        // Retried after the back-off (fails again, counted again), then a good version swaps in.
        guard case .loadFailed? = await sut.host.refresh().first else { Issue.record("no retry"); return }
        try sut.registry.store.setAlias(name: "churn", alias: "champion", version: 2)
        #expect(await sut.host.refresh() == [.swapped(name: "churn", from: "churn/1", to: "churn/2")])
        #expect(text(ByteBuffer(bytes: sut.metrics.exposition())).contains(#"mltrack_model_load_failures_total{model="churn"} 2"#))
    }

    /// Per-model options from a policy's `serving:` section: strict unknown categories and a body
    /// limit for churn; recs keeps the defaults.
    @Test func perModelScoringOptionsAndBodyLimits() async throws {
        let packages = try ServerPackages.get()
        let registry = try await ServerRegistry.make(packages)
        var churn = try HostedModelSpec(default: "models:/churn@champion")
        churn.scoring = ScoringOptions(unknownCategories: .reject)
        churn.maxBodyBytes = 2048
        let host = try await ModelHost.load([churn, try HostedModelSpec(parsing: "recs=models:/recs/1")],
                                            resolver: registry.resolver, logger: testLogger)
        let server = ScoringServer(host: host, metrics: ServingMetrics(),
                                   configuration: ScoringServerConfiguration(port: 0, pollInterval: nil, logRequests: false),
                                   logger: testLogger)
        var unseen = packages.rows
        unseen[2]["contract"] = "lifetime"
        let unseenBody = try packages.recordsBody(unseen)
        try await server.makeApplication().test(.router) { client in
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders, body: unseenBody) { r in
                #expect(r.status == .badRequest)
                #expect(text(r.body).contains("contract") && text(r.body).contains("lifetime"), "\(text(r.body))")
            }
            let big = ByteBuffer(bytes: Array(repeating: UInt8(ascii: " "), count: 2049))
            try await client.execute(uri: "/invocations", method: .post, headers: jsonHeaders, body: big) { r in
                #expect(r.status == .contentTooLarge)
            }
            // recs has the server's 1 MiB limit: the same body is read (and refused as JSON, not for size).
            try await client.execute(uri: "/models/recs/recommend", method: .post, headers: jsonHeaders, body: big) { r in
                #expect(r.status == .badRequest)
            }
        }
    }

    /// The follower service polls on its own and stops at graceful shutdown.
    @Test func followerServiceSwapsOnItsOwn() async throws {
        let packages = try ServerPackages.get()
        let sut = try await ServerUnderTest.make(packages)
        let follower = AliasFollower(host: sut.host, pollInterval: .milliseconds(20))
        let group = ServiceGroup(services: [follower], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try sut.registry.store.setAlias(name: "churn", alias: "champion", version: 2)
            // Bounded wait for the poll (not a timing assertion).
            for _ in 0 ..< 500 where sut.host.defaultModel?.versionLabel != "churn/2" {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(sut.host.defaultModel?.versionLabel == "churn/2")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// Set once the swap has returned (shared by the client tasks).
final class SwapFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .sequentiallyConsistent) }
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
}
