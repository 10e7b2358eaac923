import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Tracking
@testable import TrackingServer

/// Headless Chromium (Debian's, installed by tools/browser/ensure-chromium.sh when missing) over
/// the pages served live: the rendered DOM holds the values and drawn SVG lines, and a PNG of each
/// page is saved under `MLTRACK_TEST_ARTIFACTS` (default `.build/test-artifacts`)`/ui/`.
@Suite("UIBrowser", .serialized)
struct UIBrowserTests {
    static let chromium: String? = {
        let script = TestPaths.packageRoot.appendingPathComponent("tools/browser/ensure-chromium.sh").path
        guard let out = try? Browser.run(["/bin/sh", script], timeout: 900), out.status == 0 else { return nil }
        let path = out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.isEmpty ? nil : path
    }()

    static var artifactsDir: URL {
        let base = ProcessInfo.processInfo.environment["MLTRACK_TEST_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
            ?? TestPaths.packageRoot.appendingPathComponent(".build/test-artifacts")
        return base.appendingPathComponent("ui")
    }

    @Test func everyPageRendersInHeadlessChromium() async throws {
        guard let chromium = Self.chromium else {
            print("UIBrowser: skipped: chromium is missing and tools/browser/ensure-chromium.sh could not install it")
            return
        }
        let f = try await UIFixture()
        let router = Router()
        WebUI.register(on: router, ui: f.ui)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let shots = Self.artifactsDir
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let profile = f.dir.appendingPathComponent("chromium-profile").path
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let pages: [(name: String, path: String, expect: [String], lines: Int)] = [
                ("experiments", "/", ["churn", "recs &lt;script&gt;"], 0),
                ("runs", "/experiments/\(f.experimentId)?expand=all", ["child-a", "grid-search", "metrics.auc", "0.91"], 0),
                ("run", "/runs/\(f.childA.info.runId)", ["child-a", "customers", "hello from mltrack"], 2),
                ("compare", "/compare?runs=\(f.childA.info.runId),\(f.childB.info.runId)", ["Compare 2 runs", "child-b"], 4),
                ("models", "/models", ["churn-model", "@champion → v1"], 0),
                ("model", "/models/churn-model", ["Churn classifier", "0.84 does not beat 0.91", "transition_stage"], 0),
                ("audit", "/audit", ["log_batch", "tester"], 0),
                ("bad-filter", "/experiments/\(f.experimentId)?filter=metrics.auc+%3E%3E+1", ["Invalid search"], 0),
            ]
            for p in pages {
                let url = base + p.path
                let common = ["--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                              "--user-data-dir=\(profile)", "--window-size=1280,900"]
                let dom = try await Browser.runAsync([chromium] + common + ["--dump-dom", url], timeout: 120)
                #expect(dom.status == 0, "\(p.name): chromium exited \(dom.status): \(dom.stderr.suffix(500))")
                for e in p.expect { #expect(dom.stdout.contains(e), "\(p.name): the rendered DOM lacks \(e)") }
                #expect(!dom.stdout.contains("<script>alert"), "\(p.name): unescaped script")
                if p.lines > 0 {
                    #expect(dom.stdout.contains("<svg class=\"metric-chart\""), "\(p.name): no chart")
                    #expect(dom.stdout.seriesPaths.count >= p.lines, "\(p.name): \(dom.stdout.seriesPaths.count) lines drawn")
                }
                let png = shots.appendingPathComponent("\(p.name).png").path
                try? FileManager.default.removeItem(atPath: png)
                let shot = try await Browser.runAsync([chromium] + common + ["--hide-scrollbars", "--screenshot=\(png)", url], timeout: 120)
                #expect(shot.status == 0, "\(p.name): screenshot failed: \(shot.stderr.suffix(500))")
                let size = (try? FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
                #expect(size > 5_000, "\(p.name): screenshot \(png) is \(size) bytes")
            }
        }
    }
}

/// Runs a program and collects its output, with a timeout (the process is killed past it).
enum Browser {
    struct Output: Sendable { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ argv: [String], timeout: TimeInterval) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: argv[0].hasPrefix("/") ? argv[0] : "/usr/bin/env")
        p.arguments = argv[0].hasPrefix("/") ? Array(argv.dropFirst()) : argv
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let pid = p.processIdentifier
        let killer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        // Read both pipes concurrently so a full stderr pipe cannot block the child.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        killer.cancel()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: errBox.data, as: UTF8.self))
    }

    /// ``run(_:timeout:)`` on a thread of its own, so the live server keeps its threads.
    static func runAsync(_ argv: [String], timeout: TimeInterval) async throws -> Output {
        try await withCheckedThrowingContinuation { c in
            Thread.detachNewThread {
                do { c.resume(returning: try run(argv, timeout: timeout)) } catch { c.resume(throwing: error) }
            }
        }
    }

    final class DataBox: @unchecked Sendable { var data = Data() }
}
