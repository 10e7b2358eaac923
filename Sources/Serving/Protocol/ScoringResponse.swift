/// A successful answer of a scoring route: the JSON body to send with status 200, plus what the
/// HTTP layer records in its metrics.
///
/// ```swift
/// let r = try ScoringHandlers.invocations(body: bytes, contentType: "application/json", model: model)
/// // send r.body with Content-Type r.contentType; observe r.predictionValues in a histogram
/// ```
public struct ScoringResponse: Sendable {
    /// The JSON bytes.
    public var body: [UInt8]
    /// Always `application/json`.
    public var contentType: String
    /// Each row's primary numeric output (a logistic model's probability), for a Prometheus
    /// histogram; empty for recommenders.
    public var predictionValues: [Double]
    /// Rows (or users, for recommendation routes) answered.
    public var rows: Int

    public init(body: [UInt8], contentType: String = "application/json", predictionValues: [Double] = [], rows: Int) {
        self.body = body
        self.contentType = contentType
        self.predictionValues = predictionValues
        self.rows = rows
    }
}
