import HTTPTypes

/// The response headers naming what answered a scoring request.
///
/// ```swift
/// response.headers[ServingHeaders.modelVersion]   // "churn/3"
/// ```
public enum ServingHeaders {
    /// The model name that answered (`churn`).
    public static let model = HTTPField.Name("X-Mltrack-Model") ?? .server
    /// The version that answered, as ``ServedModel/versionLabel`` (`churn/3`).
    public static let modelVersion = HTTPField.Name("X-Mltrack-Model-Version") ?? .server
}
