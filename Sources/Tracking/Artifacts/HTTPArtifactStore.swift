import Foundation
import GoldTables
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A run's artifacts behind an MLflow artifact proxy (`mltrack server` or `mlflow server`):
/// `mlflow-artifacts:/<p>` URIs, resolved against the tracking server as MLflow's client does
/// (scheme, host and path prefix of the tracking URI; `mlflow-artifacts://host:port/<p>` names
/// the host itself), and plain `http(s)://…/api/2.0/mlflow-artifacts/artifacts/<p>` URIs.
///
/// Files are streamed from and to disk (one PUT or GET each), with the tracking client's retries
/// and credentials (``RESTClient``); listings and `download(path:to:)` walk the proxy's listing
/// recursively. The server makes each file atomic; a directory logged here is a series of files,
/// not one atomic step, and ``manifest()`` hashes by downloading every file.
///
/// ```swift
/// let store = try HTTPArtifactStore(uri: "mlflow-artifacts:/1/\(runID)/artifacts", trackingURI: "http://127.0.0.1:5000")
/// try store.log(file: "roc.svg", at: "plots/roc.svg")
/// try store.list(path: "plots")          // [FileInfo(path: "plots/roc.svg", isDir: false, fileSize: 2048)]
/// try store.download(path: "plots", to: "/tmp/plots")
/// ```
public struct HTTPArtifactStore: ArtifactStore {
    public let uri: String
    /// The server's base URL (scheme, host, port and path prefix).
    public let baseURL: URL
    /// The artifact root's path under the proxy (`1/<run_id>/artifacts`; "" is the proxy root).
    public let rootPath: String
    public let client: RESTClient
    public let files: any RESTFileTransport

    public static let proxyPrefix = "/api/2.0/mlflow-artifacts/artifacts"

    /// `trackingURI` (http or https) resolves `mlflow-artifacts:` URIs; plain http(s) artifact URIs
    /// need none.
    public init(uri: String, trackingURI: String? = nil, retry: RESTRetryPolicy = .fromEnvironment(),
                credentials: RESTCredentials = .fromEnvironment(), transport: (any RESTTransport)? = nil,
                files: (any RESTFileTransport)? = nil) throws {
        let (base, root) = try Self.resolve(uri: uri, trackingURI: trackingURI)
        self.uri = uri
        rootPath = root
        client = try RESTClient(baseURL: base, transport: transport, retry: retry, credentials: credentials)
        baseURL = client.baseURL
        self.files = files ?? URLSessionFileTransport(timeout: retry.timeout)
    }

    /// The server base URL and the root path under the proxy, as MLflow's
    /// `MlflowArtifactsRepository.resolve_uri` and `HttpArtifactRepository` derive them.
    public static func resolve(uri: String, trackingURI: String?) throws -> (base: String, root: String) {
        func fail(_ why: String) -> TrackingError { TrackingError(.invalidParameterValue, "artifact URI '\(uri)': \(why)") }
        let lower = uri.lowercased()
        if lower.hasPrefix("mlflow-artifacts:") {
            var rest = String(uri.dropFirst("mlflow-artifacts:".count))
            var host: String?
            if rest.hasPrefix("//") {
                rest.removeFirst(2)
                let authority = String(rest.prefix { $0 != "/" })
                rest = String(rest.dropFirst(authority.count))
                if !authority.isEmpty { host = authority }
            }
            let tracking = trackingURI.flatMap { URL(string: $0) }
            let trackingScheme = tracking?.scheme?.lowercased()
            let trackingIsHTTP = trackingScheme == "http" || trackingScheme == "https"
            var base: String
            if let tracking, trackingIsHTTP, let scheme = trackingScheme, let trackingHost = tracking.host {
                let authority = host ?? (tracking.port.map { "\(trackingHost):\($0)" } ?? trackingHost)
                var prefix = tracking.path
                while prefix.hasSuffix("/") { prefix.removeLast() }
                base = "\(scheme)://\(authority)\(prefix)"
            } else if let host {
                base = "http://\(host)"
            } else {
                throw fail("mlflow-artifacts URIs are served by a tracking server; set an http(s) tracking URI (MLTRACK_TRACKING_URI) to resolve them (got \(trackingURI ?? "none"))")
            }
            while base.hasSuffix("/") { base.removeLast() }
            return (base, try rootPath(decoding: rest, uri: uri))
        }
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") {
            guard let r = uri.range(of: proxyPrefix) else {
                throw fail("an http(s) artifact URI must contain \(proxyPrefix)/ (MLflow's artifact proxy)")
            }
            let after = uri[r.upperBound...]
            guard after.isEmpty || after.hasPrefix("/") else { throw fail("an http(s) artifact URI must contain \(proxyPrefix)/") }
            return (String(uri[..<r.lowerBound]), try rootPath(decoding: String(after), uri: uri))
        }
        throw fail("not an mlflow-artifacts: or http(s) artifact proxy URI")
    }

    private static func rootPath(decoding raw: String, uri: String) throws -> String {
        let trimmed = raw.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
        guard let decoded = trimmed.removingPercentEncoding else {
            throw TrackingError(.invalidParameterValue, "artifact URI '\(uri)': malformed percent-encoding")
        }
        do {
            return try ArtifactPath(decoded, allowRoot: true).description
        } catch {
            throw TrackingError(.invalidParameterValue, "artifact URI '\(uri)': the path is not a valid artifact path")
        }
    }

    // MARK: URLs

    /// The proxy path of `path` under the root ("" is the root).
    func proxyPath(_ path: String) throws -> String {
        let p = try ArtifactPath(path, allowRoot: true)
        if p.isRoot { return rootPath }
        return rootPath.isEmpty ? p.description : rootPath + "/" + p.description
    }

    /// RFC 3986's unreserved characters; everything else in a path segment is percent-encoded.
    static let pathAllowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    func fileURL(_ proxyPath: String) throws -> URL {
        let encoded = proxyPath.split(separator: "/").map { String($0).addingPercentEncoding(withAllowedCharacters: Self.pathAllowed) ?? "" }
            .joined(separator: "/")
        guard let url = URL(string: baseURL.absoluteString + Self.proxyPrefix + "/" + encoded) else {
            throw TrackingError(.invalidParameterValue, "artifact path '\(proxyPath)': cannot form a URL")
        }
        return url
    }

    func listURL(_ proxyPath: String) throws -> URL {
        var c = URLComponents(string: baseURL.absoluteString + Self.proxyPrefix)
        c?.queryItems = [URLQueryItem(name: "path", value: proxyPath)]
        let query = c?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        c?.percentEncodedQuery = query
        guard let url = c?.url else { throw TrackingError(.invalidParameterValue, "artifact path '\(proxyPath)': cannot form a URL") }
        return url
    }

    /// `request` through the file transport with the client's headers and retries; a 200 answer
    /// returns, anything else throws the mapped error.
    func sendFile(_ request: RESTRequest, _ exchange: (RESTRequest) throws -> RESTResponse) throws {
        var r = request
        r.headers["User-Agent"] = "mltrack-artifacts"
        if let auth = client.credentials.authorizationHeader { r.headers["Authorization"] = auth }
        var attempt = 0
        while true {
            let response: RESTResponse
            do {
                response = try exchange(r)
            } catch let e as RESTConnectionError {
                if attempt < client.retry.maxRetries {
                    client.sleep(client.retry.delay(attempt: attempt, random: client.random()))
                    attempt += 1
                    continue
                }
                throw TrackingError(.internalError, "artifact server \(baseURL.absoluteString) unreachable after \(attempt + 1) attempt(s): \(e.message)")
            }
            if response.status == 200 { return }
            if client.retry.shouldRetry(status: response.status), attempt < client.retry.maxRetries {
                client.sleep(client.retry.delay(attempt: attempt, random: client.random()))
                attempt += 1
                continue
            }
            throw RESTClient.error(status: response.status, body: response.body, request: r)
        }
    }

    // MARK: Writing

    @discardableResult
    public func log(file: String, at path: String) throws -> ArtifactFile {
        let p = try ArtifactPath(path)
        var st = stat()
        guard stat(file, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw TrackingError(.invalidParameterValue, "source '\(file)': is not a readable regular file")
        }
        let hash: String
        do { hash = try GoldSHA256.hexDigest(ofFile: file) } catch {
            throw TrackingError(.invalidParameterValue, "source '\(file)': cannot be read: \(error)")
        }
        let url = try fileURL(try proxyPath(p.description))
        let request = RESTRequest(method: "PUT", url: url, headers: ["Content-Type": "application/octet-stream"])
        try sendFile(request) { try files.upload($0, file: file) }
        return ArtifactFile(path: p.description, fileSize: Int64(st.st_size), sha256: hash)
    }

    @discardableResult
    public func log(data: Data, at path: String) throws -> ArtifactFile {
        let p = try ArtifactPath(path)
        let url = try fileURL(try proxyPath(p.description))
        _ = try client.send(RESTRequest(method: "PUT", url: url, headers: ["Content-Type": "application/octet-stream"], body: data))
        var sha = GoldSHA256()
        data.withUnsafeBytes { sha.update($0) }
        return ArtifactFile(path: p.description, fileSize: Int64(data.count), sha256: GoldSHA256.hex(sha.finalize()))
    }

    @discardableResult
    public func log(directory: String, at path: String) throws -> [ArtifactFile] {
        let base = try ArtifactPath(path, allowRoot: true)
        var out: [ArtifactFile] = []
        func walk(_ dir: String, _ prefix: String) throws {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            } catch {
                throw TrackingError(.invalidParameterValue, "source '\(dir)': cannot list the directory: \(error.localizedDescription)")
            }
            for name in names where !name.hasPrefix(ArtifactPath.reservedPrefix) {
                let full = dir + "/" + name
                let rel = prefix.isEmpty ? name : prefix + "/" + name
                var st = stat()
                guard lstat(full, &st) == 0 else { throw TrackingError(.invalidParameterValue, "source '\(full)': cannot stat") }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: try walk(full, rel)
                case S_IFREG: out.append(try log(file: full, at: rel))
                default: throw TrackingError(.invalidParameterValue, "source '\(full)': is not a regular file or directory")
                }
            }
        }
        var st = stat()
        guard stat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw TrackingError(.invalidParameterValue, "source '\(directory)': is not a directory")
        }
        try walk(directory, base.description)
        return out.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    // MARK: Reading

    private struct Listing: Decodable {
        struct Entry: Decodable {
            var path: String
            var is_dir: Bool?
            var file_size: Int64?
        }
        var files: [Entry]?
    }

    public func list(path: String = "") throws -> [FileInfo] {
        let p = try ArtifactPath(path, allowRoot: true)
        let data = try client.send(RESTRequest(method: "GET", url: try listURL(try proxyPath(p.description))))
        let listing: Listing
        do { listing = try JSONDecoder().decode(Listing.self, from: data) } catch {
            throw TrackingError(.internalError, "artifact listing of '\(p)' from \(baseURL.absoluteString): not MLflow's JSON: \(error)")
        }
        return (listing.files ?? []).map { e in
            let name = e.path.split(separator: "/").last.map(String.init) ?? e.path
            let isDir = e.is_dir ?? false
            return FileInfo(path: p.isRoot ? name : p.description + "/" + name, isDir: isDir, fileSize: isDir ? nil : e.file_size)
        }.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    public func read(path: String) throws -> Data {
        let p = try ArtifactPath(path)
        return try client.send(RESTRequest(method: "GET", url: try fileURL(try proxyPath(p.description))))
    }

    /// Streams the file at `path` into the new local file `file`.
    func fetch(_ path: String, to file: String) throws {
        try fetch(proxyPath: try proxyPath(path), to: file)
    }

    func fetch(proxyPath: String, to file: String) throws {
        let url = try fileURL(proxyPath)
        try sendFile(RESTRequest(method: "GET", url: url)) { try files.download($0, to: file) }
    }

    public func download(path: String, to destination: String) throws {
        let p = try ArtifactPath(path, allowRoot: true)
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw TrackingError(.invalidParameterValue, "download destination '\(destination)': already exists")
        }
        let parent = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw TrackingError(.invalidParameterValue, "download destination '\(destination)': cannot create its directory: \(error.localizedDescription)")
        }
        let tmp = parent + "/" + ArtifactPath.reservedPrefix + "tmp-" + UUID().uuidString.lowercased()
        var placed = false
        defer { if !placed { try? FileManager.default.removeItem(atPath: tmp) } }
        let entries = try list(path: p.description)
        let full = try proxyPath(p.description)
        if !entries.isEmpty || full.isEmpty {
            try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: false)
            try fetchTree(entries, into: tmp, prefix: p.description)
        } else {
            // Nothing listed: a file (this store's root itself may be one), an empty directory, or
            // nothing at all (404 RESOURCE_DOES_NOT_EXIST).
            do {
                try fetch(proxyPath: full, to: tmp)
            } catch let e as TrackingError where e.code == .invalidParameterValue {
                // The proxy refuses to send a directory: an empty one.
                guard (try? FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: false)) != nil else { throw e }
            }
        }
        guard !FileManager.default.fileExists(atPath: destination), rename(tmp, destination) == 0 else {
            throw TrackingError(.invalidParameterValue, "download destination '\(destination)': cannot move the copy into place")
        }
        placed = true
    }

    private func fetchTree(_ entries: [FileInfo], into dir: String, prefix: String) throws {
        for e in entries {
            let name = e.path.split(separator: "/").last.map(String.init) ?? e.path
            // The server's names become local names: they must be single safe components.
            guard (try? ArtifactPath(name))?.components.count == 1 else {
                throw TrackingError(.internalError, "artifact listing of '\(prefix)': unsafe name '\(ArtifactPath.printable(name))'")
            }
            let local = dir + "/" + name
            if e.isDir {
                try FileManager.default.createDirectory(atPath: local, withIntermediateDirectories: false)
                try fetchTree(try list(path: e.path), into: local, prefix: e.path)
            } else {
                try fetch(e.path, to: local)
            }
        }
    }

    // MARK: Deleting

    @discardableResult
    public func delete(path: String) throws -> Bool {
        let p = try ArtifactPath(path, allowRoot: true)
        let existed: Bool
        if p.isRoot {
            existed = !(try list(path: ""))
                .isEmpty
        } else {
            let parent = p.components.dropLast().joined(separator: "/")
            existed = try list(path: parent).contains { $0.path == p.description }
        }
        guard existed else { return false }
        _ = try client.send(RESTRequest(method: "DELETE", url: try fileURL(try proxyPath(p.description))))
        return true
    }

    public func manifest() throws -> ArtifactManifest {
        let tmpDir = FileManager.default.temporaryDirectory.appendingPathComponent("mltrack-manifest-" + UUID().uuidString.lowercased()).path
        try FileManager.default.createDirectory(atPath: tmpDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: tmpDir) }
        var out: [ArtifactFile] = []
        for f in try listAll() where !f.isDir {
            let local = tmpDir + "/file"
            try fetch(f.path, to: local)
            let hash = try GoldSHA256.hexDigest(ofFile: local)
            let size = ((try? FileManager.default.attributesOfItem(atPath: local))?[.size] as? NSNumber)?.int64Value ?? 0
            out.append(ArtifactFile(path: f.path, fileSize: size, sha256: hash))
            try? FileManager.default.removeItem(atPath: local)
        }
        return ArtifactManifest(files: out.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) })
    }
}
