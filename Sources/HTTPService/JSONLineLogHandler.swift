import Foundation
import Logging
import Synchronization

/// A swift-log handler writing one JSON object per line to standard error:
/// `{"ts":"2026-11-22T01:02:03.456Z","level":"info","label":"mltrack.serve","msg":"request","method":"POST",…}`
/// (metadata values as strings). Lines are written whole under a lock.
///
/// ```swift
/// let logger = Logger(label: "mltrack.serve") { JSONLineLogHandler(label: $0) }
/// ```
public struct JSONLineLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    private static let lock = Mutex(())

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let level = event.level, message = event.message
        var out: [UInt8] = Array("{\"ts\":".utf8) + JSONText.quoted(Self.timestamp())
        out += Array(",\"level\":".utf8) + JSONText.quoted(level.rawValue)
        out += Array(",\"label\":".utf8) + JSONText.quoted(label)
        out += Array(",\"msg\":".utf8) + JSONText.quoted(message.description)
        for key in fields.keys.sorted() {
            guard let value = fields[key] else { continue }
            out += Array(",".utf8) + JSONText.quoted(key) + Array(":".utf8) + JSONText.quoted(value.description)
        }
        out += Array("}\n".utf8)
        Self.lock.withLock { _ in
            out.withUnsafeBufferPointer { p in
                var offset = 0
                while offset < p.count {
                    let n = write(2, p.baseAddress.map { $0 + offset }, p.count - offset)
                    if n <= 0 { break }
                    offset += n
                }
            }
        }
    }

    static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: true)
            .timeSeparator(.colon).timeZone(separator: .omitted))
    }
}
