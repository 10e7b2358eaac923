import HTTPTypes
import Hummingbird
import NIOCore

/// Builds the server's responses: JSON bodies with the model headers, and errors as MLflow's
/// `{"error_code", "message"}` or the Open Inference Protocol's `{"error"}` with their status.
///
/// ```swift
/// ServingResponses.error(ServingError(.badRequest, "empty body"), style: .mlflow, model: model)
/// ```
public enum ServingResponses {
    /// Which error body a route answers with.
    public enum ErrorStyle: Sendable {
        case mlflow, openInference
    }

    /// `application/json`.
    public static let json = "application/json"

    public static func bytes(_ body: [UInt8], status: Int = 200, contentType: String = json,
                             model: ServedModel? = nil) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        if let model {
            headers[ServingHeaders.model] = model.name
            headers[ServingHeaders.modelVersion] = model.versionLabel
        }
        return Response(status: HTTPResponse.Status(code: status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    public static func text(_ text: String, status: Int = 200, contentType: String = json, model: ServedModel? = nil) -> Response {
        bytes(Array(text.utf8), status: status, contentType: contentType, model: model)
    }

    public static func error(_ error: ServingError, style: ErrorStyle, model: ServedModel? = nil) -> Response {
        let body = switch style {
        case .mlflow: ScoringHandlers.errorBody(error)
        case .openInference: ScoringHandlers.openInferenceErrorBody(error)
        }
        return bytes(body, status: error.status, model: model)
    }

    /// FastAPI's answer to a method a route does not accept.
    static func methodNotAllowed() -> Response {
        text("{\"detail\":\"Method Not Allowed\"}", status: 405)
    }
}
