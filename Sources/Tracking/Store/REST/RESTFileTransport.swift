import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// HTTP exchanges whose bodies are files, streamed rather than held in memory: what
/// ``HTTPArtifactStore`` uploads and downloads through. ``URLSessionFileTransport`` is the real
/// one; tests can pass a fake.
///
/// ```swift
/// let t = URLSessionFileTransport(timeout: 120)
/// let r = try t.upload(RESTRequest(method: "PUT", url: url), file: "/tmp/model.bin")   // r.status
/// let d = try t.download(RESTRequest(method: "GET", url: url), to: "/tmp/copy.bin")    // 200: bytes in the file
/// ```
public protocol RESTFileTransport: Sendable {
    /// Sends `request` with the bytes of `file` as its body; the answer, whatever its status.
    /// Throws ``RESTConnectionError`` when no answer came.
    func upload(_ request: RESTRequest, file: String) throws -> RESTResponse
    /// Sends `request`; a 200 answer's body is written to `file` (replaced) and the returned body
    /// is empty; any other answer's body is returned and `file` is left alone.
    func download(_ request: RESTRequest, to file: String) throws -> RESTResponse
}

/// ``RESTFileTransport`` over `URLSession` upload and download tasks, synchronous like
/// ``URLSessionTransport``. `timeout` bounds the wait for each piece of the exchange (an idle
/// connection), not the whole transfer, so large artifacts are not cut off.
///
/// ```swift
/// let transport = URLSessionFileTransport(timeout: 120)
/// ```
public final class URLSessionFileTransport: RESTFileTransport {
    private let session: URLSession
    public let timeout: TimeInterval

    public init(timeout: TimeInterval = 120) {
        self.timeout = timeout
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = 7 * 24 * 3600
        config.httpShouldSetCookies = false
        config.urlCache = nil
        session = URLSession(configuration: config)
    }

    deinit { session.finishTasksAndInvalidate() }

    private func urlRequest(_ request: RESTRequest) -> URLRequest {
        var r = URLRequest(url: request.url, timeoutInterval: timeout)
        r.httpMethod = request.method
        for (k, v) in request.headers { r.setValue(v, forHTTPHeaderField: k) }
        return r
    }

    private func failure(_ request: RESTRequest, _ error: (any Error)?) -> RESTConnectionError {
        RESTConnectionError(message: "\(request.method) \(request.url.absoluteString): \(error.map { "\($0.localizedDescription)" } ?? "no HTTP response")")
    }

    public func upload(_ request: RESTRequest, file: String) throws -> RESTResponse {
        var r = urlRequest(request)
        if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber {
            r.setValue(size.stringValue, forHTTPHeaderField: "Content-Length")
        }
        let box = RESTResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.uploadTask(with: r, fromFile: URL(fileURLWithPath: file)) { data, response, error in
            if let http = response as? HTTPURLResponse {
                box.set(.success(RESTResponse(status: http.statusCode, body: data ?? Data())))
            } else {
                box.set(.failure(self.failure(request, error)))
            }
            done.signal()
        }
        task.resume()
        done.wait()
        return try box.get()
    }

    public func download(_ request: RESTRequest, to file: String) throws -> RESTResponse {
        let box = RESTResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.downloadTask(with: urlRequest(request)) { location, response, error in
            defer { done.signal() }
            guard let http = response as? HTTPURLResponse, let location else {
                box.set(.failure(self.failure(request, error)))
                return
            }
            if http.statusCode != 200 {
                let body = (try? Data(contentsOf: location)) ?? Data()
                try? FileManager.default.removeItem(at: location)
                box.set(.success(RESTResponse(status: http.statusCode, body: body)))
                return
            }
            do {
                try? FileManager.default.removeItem(atPath: file)
                try FileManager.default.moveItem(at: location, to: URL(fileURLWithPath: file))
                box.set(.success(RESTResponse(status: 200, body: Data())))
            } catch {
                box.set(.failure(RESTConnectionError(message: "\(request.url.absoluteString): cannot keep the downloaded file at \(file): \(error.localizedDescription)")))
            }
        }
        task.resume()
        done.wait()
        return try box.get()
    }
}
