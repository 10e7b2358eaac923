import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import Tracking
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// MLflow's artifact proxy (reference 3.1) under `/api/2.0/mlflow-artifacts/` and
/// `/ajax-api/2.0/mlflow-artifacts/`, over an ``ArtifactProxyStorage``:
///
/// - `PUT artifacts/<path>` streams the body into a temporary file next to the destination and
///   renames it into place (at most `maxArtifactBytes`; a larger body is read to its end, stored
///   nowhere, and answered 400); `{}`.
/// - `GET artifacts/<path>` streams the file with a guessed `Content-Type`,
///   `Content-Disposition: attachment` and `X-Content-Type-Options: nosniff`; 404
///   `RESOURCE_DOES_NOT_EXIST` when missing, 400 for a directory.
/// - `GET artifacts?path=<dir>` lists basenames: `{"files":[{"path","is_dir","file_size"}]}`, `{}`
///   for a missing path or a file.
/// - `DELETE artifacts/<path>` removes a file or directory; `{}`.
/// - `POST mpu/{create,complete,abort}/<path>`: 501 `NOT_IMPLEMENTED`, so the client falls back to
///   one PUT.
///
/// Unsafe paths are 400 `INVALID_PARAMETER_VALUE` "Invalid path" (``ProxyArtifactPath``).
///
/// ```swift
/// ArtifactRoutes(storage: try ArtifactProxyStorage(destination: "./mlartifacts"),
///                maxArtifactBytes: 5 << 30, metrics: metrics).register(on: router)
/// ```
public struct ArtifactRoutes: Sendable {
    public let storage: ArtifactProxyStorage
    public let maxArtifactBytes: Int64
    public let metrics: TrackingServerMetrics

    public static let prefixes = ["/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts"]
    public static let multipartMessage = "Multipart upload is not supported for the current artifact repository"
    /// Bytes handed to the disk (and read from it) per thread-pool call.
    static let chunk = 1 << 20

    public init(storage: ArtifactProxyStorage, maxArtifactBytes: Int64, metrics: TrackingServerMetrics) {
        self.storage = storage
        self.maxArtifactBytes = maxArtifactBytes
        self.metrics = metrics
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        let routes = self
        for prefix in Self.prefixes {
            let filePrefix = prefix + "/artifacts/"
            router.get(RouterPath(prefix + "/artifacts")) { request, _ in await routes.list(request) }
            router.get(RouterPath(filePrefix + "**")) { request, _ in
                await routes.download(raw: Self.rawPath(request, after: filePrefix))
            }
            router.put(RouterPath(filePrefix + "**")) { request, _ in
                await routes.upload(request, raw: Self.rawPath(request, after: filePrefix))
            }
            router.delete(RouterPath(filePrefix + "**")) { request, _ in
                await routes.delete(raw: Self.rawPath(request, after: filePrefix))
            }
            for op in ["create", "complete", "abort"] {
                let mpuPrefix = prefix + "/mpu/\(op)/"
                router.post(RouterPath(mpuPrefix + "**")) { request, _ in
                    do {
                        _ = try ProxyArtifactPath(encoded: Self.rawPath(request, after: mpuPrefix))
                        return APIEndpoint.error(MLflowAPIError(code: "NOT_IMPLEMENTED", message: Self.multipartMessage))
                    } catch {
                        return APIEndpoint.error(MLflowAPIError(error))
                    }
                }
            }
        }
    }

    /// The still percent-encoded path after `prefix`.
    static func rawPath(_ request: Request, after prefix: String) -> String {
        let path = request.uri.path
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : ""
    }

    static func pool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// A store error as the proxy answers it: a symlink leading outside the destination is an
    /// invalid path like any other.
    static func apiError(_ error: any Error) -> MLflowAPIError {
        if let e = error as? TrackingError, e.code == .invalidParameterValue, e.message.contains("symbolic link") {
            return ProxyArtifactPath.invalid
        }
        return MLflowAPIError(error)
    }

    static let empty = APIEndpoint.json(WireValue.object([]).bytes())

    // MARK: Upload

    func tooLarge(_ p: ArtifactPath) -> MLflowAPIError {
        MLflowAPIError.invalid("Artifact '\(p)' is larger than the server's limit of \(maxArtifactBytes) bytes per file")
    }

    func upload(_ request: Request, raw: String) async -> Response {
        let p: ArtifactPath
        do {
            p = try ProxyArtifactPath(encoded: raw).path
        } catch {
            return APIEndpoint.error(MLflowAPIError(error))
        }
        if let declared = request.headers[.contentLength].flatMap(Int64.init), declared > maxArtifactBytes {
            await drain(request.body)
            return APIEndpoint.error(tooLarge(p))
        }
        let storage = storage
        let store: LocalArtifactStore, upload: ArtifactUpload
        do {
            (store, upload) = try await Self.pool { try storage.beginUpload(p) }
        } catch {
            await drain(request.body)
            return APIEndpoint.error(Self.apiError(error))
        }
        defer { upload.abort() }
        var pending = ByteBuffer()
        var received: Int64 = 0
        var over = false
        do {
            for try await chunk in request.body {
                metrics.recordArtifactUpload(bytes: chunk.readableBytes)
                received += Int64(chunk.readableBytes)
                // Past the limit: drop the file, read the rest of the body and store nothing.
                if over { continue }
                if received > maxArtifactBytes {
                    over = true
                    upload.abort()
                    pending = ByteBuffer()
                    continue
                }
                var c = chunk
                pending.writeBuffer(&c)
                if pending.readableBytes >= Self.chunk {
                    let full = pending
                    pending = ByteBuffer()
                    try await Self.pool { try full.withUnsafeReadableBytes { try upload.write($0) } }
                }
            }
            if over { return APIEndpoint.error(tooLarge(p)) }
            let rest = pending
            try await Self.pool {
                try rest.withUnsafeReadableBytes { try upload.write($0) }
                try store.commit(upload)
            }
            return Self.empty
        } catch {
            return APIEndpoint.error(Self.apiError(error))
        }
    }

    /// Reads what is left of a body, so the client sees the answer rather than a reset connection
    /// (which MLflow's client would retry).
    func drain(_ body: RequestBody) async {
        do {
            for try await chunk in body { metrics.recordArtifactUpload(bytes: chunk.readableBytes) }
        } catch {
            // The client went away: nothing to answer.
        }
    }

    // MARK: Download

    /// An open file descriptor, closed when the response body that reads it is released.
    final class OpenFile: Sendable {
        let fd: Int32
        init(fd: Int32) { self.fd = fd }
        deinit { close(fd) }
    }

    func download(raw: String) async -> Response {
        do {
            let p = try ProxyArtifactPath(encoded: raw).path
            let storage = storage
            let (file, size) = try await Self.pool { () throws -> (OpenFile, Int) in
                // MLflow's messages for a missing file and a directory.
                let path: String
                do {
                    path = try storage.file(p)
                } catch let e as TrackingError where e.code == .resourceDoesNotExist {
                    throw MLflowAPIError(code: "RESOURCE_DOES_NOT_EXIST", message: "No such artifact: '\(p)'")
                } catch let e as TrackingError where e.code == .invalidParameterValue && e.message.hasSuffix("is a directory") {
                    throw MLflowAPIError.invalid("Artifact path refers to a directory, not a file: '\(p)'")
                }
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else {
                    throw MLflowAPIError(code: "RESOURCE_DOES_NOT_EXIST", message: "No such artifact: '\(p)'")
                }
                let f = OpenFile(fd: fd)
                var st = stat()
                guard fstat(fd, &st) == 0 else { throw TrackingError(.internalError, "artifact path '\(p)': cannot stat the file") }
                return (f, Int(st.st_size))
            }
            let metrics = metrics
            let body = ResponseBody(contentLength: size) { writer in
                var offset = 0
                while offset < size {
                    let want = min(Self.chunk, size - offset)
                    let start = offset
                    let buffer = try await Self.pool { () throws -> ByteBuffer in
                        var b = ByteBufferAllocator().buffer(capacity: want)
                        let n = b.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { ptr in
                            max(0, pread(file.fd, ptr.baseAddress, want, off_t(start)))
                        }
                        guard n > 0 else { throw TrackingError(.internalError, "artifact path '\(p)': the file shrank while it was sent") }
                        return b
                    }
                    offset += buffer.readableBytes
                    metrics.recordArtifactDownload(bytes: buffer.readableBytes)
                    try await writer.write(buffer)
                }
                try await writer.finish(nil)
            }
            let name = p.components.last ?? "artifact"
            var headers: HTTPFields = [:]
            headers[.contentType] = ArtifactContentType.of(name)
            headers[.contentDisposition] = Self.contentDisposition(name)
            headers[.xContentTypeOptions] = "nosniff"
            return Response(status: .ok, headers: headers, body: body)
        } catch {
            return APIEndpoint.error(Self.apiError(error))
        }
    }

    /// `attachment; filename=<name>`, or RFC 5987's `filename*=UTF-8''…` for names that are not
    /// plain ASCII tokens.
    static func contentDisposition(_ name: String) -> String {
        let plain = name.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7f && !"\";\\,".unicodeScalars.contains($0) }
        if plain { return "attachment; filename=\(name)" }
        var encoded = ""
        for b in name.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) { encoded.append(c) } else { encoded += String(format: "%%%02X", b) }
        }
        return "attachment; filename*=UTF-8''\(encoded)"
    }

    // MARK: List and delete

    func list(_ request: Request) async -> Response {
        do {
            let params = APIParameters(query: request.uri.query)
            let p = try ProxyArtifactPath(decoded: try params.string("path") ?? "", allowRoot: true).path
            let storage = storage
            let files = try await Self.pool { try storage.list(p) }
            guard !files.isEmpty else { return Self.empty }
            let entries: [WireValue] = files.map { f in
                var fields: [(String, WireValue)] = [("path", .string(f.path)), ("is_dir", .bool(f.isDir))]
                if let size = f.fileSize, !f.isDir { fields.append(("file_size", .int(size))) }
                return .object(fields)
            }
            return APIEndpoint.json(WireValue.object([("files", .array(entries))]).bytes())
        } catch {
            return APIEndpoint.error(Self.apiError(error))
        }
    }

    func delete(raw: String) async -> Response {
        do {
            let p = try ProxyArtifactPath(encoded: raw).path
            let storage = storage
            try await Self.pool { try storage.delete(p) }
            return Self.empty
        } catch {
            return APIEndpoint.error(Self.apiError(error))
        }
    }
}
