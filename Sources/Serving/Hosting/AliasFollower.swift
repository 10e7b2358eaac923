import Logging
import ServiceLifecycle

/// The service that keeps a ``ModelHost`` on the versions its aliases point at: every
/// `pollInterval` it calls ``ModelHost/refresh()``, which loads a moved alias's new package in the
/// background and swaps it in. Stops at graceful shutdown or cancellation.
///
/// ```swift
/// let follower = AliasFollower(host: host, pollInterval: .seconds(2))
/// let group = ServiceGroup(services: [follower], logger: logger)   // or Application.addServices
/// ```
public struct AliasFollower: Service {
    public let host: ModelHost
    public let pollInterval: Duration

    public init(host: ModelHost, pollInterval: Duration = .seconds(2)) {
        self.host = host
        self.pollInterval = pollInterval
    }

    public func run() async throws {
        guard host.followsAny else {
            // Nothing can move: wait for the end so the service group keeps its shape.
            try? await gracefulShutdown()
            return
        }
        let host = host, interval = pollInterval
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                _ = await host.refresh()
            }
        }
    }
}
