import Foundation
import Testing
import Tracking
@testable import TrackingServer

@Suite("UIArtifactLocator")
struct UIArtifactLocatorTests {
    @Test func proxiedURIsResolveUnderTheDestination() throws {
        let dir = try TestPaths.tempDir("mltrack-ui-locator")
        let locate = WebUI.localArtifacts(destination: dir.path)
        func info(_ uri: String) -> RunInfo {
            RunInfo(runId: "r1", runName: "r", experimentId: "1", userId: "u", status: .finished, startTime: 0, artifactUri: uri,
                    lifecycleStage: .active)
        }
        let store = try #require(try locate(info("mlflow-artifacts:/1/r1/artifacts")) as? LocalArtifactStore)
        #expect(store.root == dir.resolvingSymlinksInPath().path + "/1/r1/artifacts" || store.root == dir.path + "/1/r1/artifacts")
        let remote = try #require(try locate(info("mlflow-artifacts://host:5000/1/r1/artifacts")) as? LocalArtifactStore)
        #expect(remote.root == store.root)
        #expect(throws: TrackingError.self) { try locate(info("mlflow-artifacts:/1/../../etc")) }
        #expect(try locate(info("s3://bucket/1/r1/artifacts")) == nil)
        #expect(try WebUI.localArtifacts(destination: nil)(info("mlflow-artifacts:/1/r1/artifacts")) == nil)
    }
}
