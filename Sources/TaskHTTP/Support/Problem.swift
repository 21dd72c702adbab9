import Foundation
import HTTPTypes
import Hummingbird
import TaskCore

/// An RFC 9457 problem document: the body of every error response.
struct Problem: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var detail: String
    var errors: [FieldError] = []
    var headers: HTTPFields = [:]

    /// The response carrying this problem.
    func response() -> Response {
        struct Body: Encodable {
            let type = "about:blank"
            let title: String
            let status: Int
            let detail: String
            let code: String
            let errors: [FieldError]?
        }
        let body = Body(
            title: status.reasonPhrase, status: status.code, detail: detail, code: code,
            errors: status == .unprocessableContent ? errors : nil)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        let data = (try? JSONEncoder().encode(body)) ?? Data()
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func badRequest(_ detail: String) -> Problem {
        Problem(status: .badRequest, code: "malformed_request", detail: detail)
    }

    static func invalid(_ errors: [FieldError]) -> Problem {
        Problem(
            status: .unprocessableContent, code: "validation_failed", detail: "The request has invalid fields",
            errors: errors)
    }

    static let internalError = Problem(
        status: .internalServerError, code: "internal_error", detail: "Something went wrong on our side")
}
