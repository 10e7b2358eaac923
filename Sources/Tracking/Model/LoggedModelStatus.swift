/// The upload state of a logged model (MLflow 3's `LoggedModelStatus`): a model is created
/// `pending`, and the client finalizes it `ready` once its files are uploaded (or `uploadFailed`).
/// Raw values are MLflow's enum names; ``number`` is the protobuf number.
///
/// ```swift
/// let model = try store.finalizeLoggedModel(id: model.modelId, status: .ready)
/// LoggedModelStatus(wireValue: "2")   // .ready
/// ```
public enum LoggedModelStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case unspecified = "LOGGED_MODEL_STATUS_UNSPECIFIED"
    case pending = "LOGGED_MODEL_PENDING"
    case ready = "LOGGED_MODEL_READY"
    case uploadFailed = "LOGGED_MODEL_UPLOAD_FAILED"

    /// The protobuf enum number (MLflow's SQL store keeps this integer).
    public var number: Int {
        switch self {
        case .unspecified: 0
        case .pending: 1
        case .ready: 2
        case .uploadFailed: 3
        }
    }

    public init?(number: Int) {
        guard let s = Self.allCases.first(where: { $0.number == number }) else { return nil }
        self = s
    }

    /// By enum name (any case) or by number written as text.
    public init?(wireValue: String) {
        if let s = LoggedModelStatus(rawValue: wireValue.uppercased()) {
            self = s
        } else if let n = Int(wireValue), let s = LoggedModelStatus(number: n) {
            self = s
        } else {
            return nil
        }
    }
}
