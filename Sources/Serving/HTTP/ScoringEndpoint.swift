import HTTPTypes
import Hummingbird
import NIOCore

/// What every scoring route shares: pick the model (the default or the `{name}` in the path) once,
/// so the whole request is answered by one immutable version even if a swap happens meanwhile;
/// collect the body up to the limit; run the protocol handler; answer with the model headers, or
/// with the error mapped to its status and body. Never throws.
///
/// ```swift
/// let endpoint = ScoringEndpoint(host: host, metrics: metrics, maxBodyBytes: 1 << 20)
/// router.post("/invocations") { request, _ in
///     await endpoint.score(request, model: nil, style: .mlflow) { body, type, model throws(ServingError) in
///         try ScoringHandlers.invocations(body: body, contentType: type, model: model)
///     }
/// }
/// ```
public struct ScoringEndpoint: Sendable {
    public typealias Handler = @Sendable ([UInt8], String?, ServedModel) throws(ServingError) -> ScoringResponse

    public let host: ModelHost
    public let metrics: ServingMetrics
    public let maxBodyBytes: Int

    public init(host: ModelHost, metrics: ServingMetrics, maxBodyBytes: Int) {
        self.host = host
        self.metrics = metrics
        self.maxBodyBytes = maxBodyBytes
    }

    /// The model a route names (nil: the default model), or the 404 answering an unknown name.
    public func model(_ name: String?, style: ServingResponses.ErrorStyle) -> Result<ServedModel, ServingError> {
        if let name {
            guard let m = host.model(named: name) else {
                return .failure(ServingError(.resourceDoesNotExist,
                    "model '\(name)' is not served here (serving: \(host.names.joined(separator: ", ")))"))
            }
            return .success(m)
        }
        guard let m = host.defaultModel else {
            return .failure(ServingError(.temporarilyUnavailable, "no model is loaded"))
        }
        return .success(m)
    }

    /// The body, or the 400/413 error: a declared length over the limit is refused before reading.
    /// `limit` defaults to the server's ``maxBodyBytes``.
    public func body(of request: Request, limit: Int? = nil) async -> Result<[UInt8], ServingError> {
        let maxBodyBytes = limit ?? self.maxBodyBytes
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBodyBytes {
            return .failure(tooLarge(maxBodyBytes))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return .failure(tooLarge(maxBodyBytes))
        } catch {
            return .failure(ServingError(.badRequest, "cannot read the request body: \(error)"))
        }
        guard buffer.readableBytes > 0 else {
            return .failure(ServingError(.badRequest, "Invalid input. The request body is empty"))
        }
        return .success(Array(buffer.readableBytesView))
    }

    private func tooLarge(_ maxBodyBytes: Int) -> ServingError {
        ServingError(.requestLimitExceeded, "the request body is larger than the limit of \(maxBodyBytes) bytes (--max-body-bytes)")
    }

    /// Scores `request` with `handler` against the model `name` (nil: the default model).
    public func score(_ request: Request, model name: String?, style: ServingResponses.ErrorStyle,
                      handler: Handler) async -> Response {
        switch self.model(name, style: style) {
        case .success(let model): await score(request, model: model, style: style, handler: handler)
        case .failure(let e): ServingResponses.error(e, style: style)
        }
    }

    /// Scores `request` with `handler` against `model`, taken once for the whole request.
    public func score(_ request: Request, model: ServedModel, style: ServingResponses.ErrorStyle,
                      handler: Handler) async -> Response {
        let body: [UInt8]
        switch await self.body(of: request, limit: host.slots[model.name]?.maxBodyBytes) {
        case .success(let b): body = b
        case .failure(let e): return ServingResponses.error(e, style: style, model: model)
        }
        do throws(ServingError) {
            let out = try handler(body, request.headers[.contentType], model)
            metrics.recordPredictions(model: model.name, version: model.versionLabel, values: out.predictionValues)
            return ServingResponses.bytes(out.body, contentType: out.contentType, model: model)
        } catch {
            return ServingResponses.error(error, style: style, model: model)
        }
    }
}
