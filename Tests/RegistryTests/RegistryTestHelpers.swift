import Registry
import Synchronization
import Testing
import Tracking

/// Runs `body` and checks it throws a ``RegistryError`` with `code` whose message contains every
/// string of `mentioning`.
func expectRegistryError<T>(_ code: TrackingError.Code, mentioning: [String] = [],
                            sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: () async throws -> T) async {
    do {
        _ = try await body()
        Issue.record("expected \(code.rawValue), nothing thrown", sourceLocation: sourceLocation)
    } catch let e as RegistryError {
        #expect(e.code == code, "\(e)", sourceLocation: sourceLocation)
        for s in mentioning {
            #expect(e.message.contains(s), "'\(e.message)' should mention '\(s)'", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("expected RegistryError \(code.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
}

/// A clock that ticks one millisecond per reading, from 1_700_000_000_000.
final class TickClock: Sendable {
    private let now = Mutex<Int64>(1_700_000_000_000)
    func read() -> Int64 { now.withLock { $0 += 1; return $0 } }
    var function: @Sendable () -> Int64 { { [self] in self.read() } }
}

/// A gate context answering from tables: logged metrics per candidate version, and scores per
/// (scored version, candidate version). An absent entry throws, as a failing scorer would.
struct TableContext: GateContext {
    struct Missing: Error, CustomStringConvertible { var description: String }
    var logged: [Int: [String: Double]] = [:]
    var scores: [Pair: [String: Double]] = [:]
    struct Pair: Hashable, Sendable { var version: Int; var split: Int }

    func candidateMetrics(_ candidate: ModelVersion) async throws -> [String: Double] {
        guard let m = logged[candidate.version] else { throw Missing(description: "no logged metrics for v\(candidate.version)") }
        return m
    }

    func score(version: ModelVersion, onTestSplitOf candidate: ModelVersion) async throws -> [String: Double] {
        guard let m = scores[Pair(version: version.version, split: candidate.version)] else {
            throw Missing(description: "v\(version.version) cannot be scored on the split of v\(candidate.version)")
        }
        return m
    }
}
