import Foundation
import Hummingbird
import NIOCore
import TaskCore

extension JSONBody {
    /// Reads a request's body: at most 1 MiB (else 413), `application/json` (else 415), strict JSON (else 400),
    /// an object (else 422). An empty body reads as `{}`.
    static func read(_ request: Request, context: TaskRequestContext) async throws -> JSONBody {
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { return JSONBody(fields: [:]) }
        guard isJSON(request.headers[.contentType]) else {
            throw Problem(
                status: .unsupportedMediaType, code: "unsupported_media_type",
                detail: "Send the body as application/json")
        }
        return try parse(buffer.readableBytesView)
    }

    /// Whether a `Content-Type` names JSON (`application/json` or any `application/*+json`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media =
            contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return media == "application/json" || (media.hasPrefix("application/") && media.hasSuffix("+json"))
    }
}
