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
        guard isJSON(request.headers.value(of: .contentType)) else {
            throw Problem(
                status: .unsupportedMediaType, code: "unsupported_media_type",
                detail: "Send the body as application/json")
        }
        return try parse(buffer.readableBytesView)
    }

    /// Whether a `Content-Type` names JSON (`application/json` or any `application/*+json`).
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // The media type, before any parameter, without the spaces around it, in lower case. ASCII, as header
        // values are, is read byte by byte; anything else the slow way (Foundation's trimming of every Unicode
        // space and Unicode lower-casing), which gives the same answer.
        guard contentType.utf8.allSatisfy({ $0 < 0x80 }) else {
            let media =
                contentType.split(separator: ";").first.map {
                    $0.trimmingCharacters(in: .whitespaces).lowercased()
                } ?? ""
            return isJSONMediaType(media.utf8)
        }
        var media = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while let first = media.first, isSpace(first) { media = media.dropFirst() }
        while let last = media.last, isSpace(last) { media = media.dropLast() }
        return isJSONMediaType(media.lazy.map { $0 | ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") ? 0x20 : 0) })
    }

    /// Whether lower-case `media` is `application/json` or `application/*+json`.
    private static func isJSONMediaType(_ media: some Collection<UInt8>) -> Bool {
        let bytes = Array(media)
        if bytes.elementsEqual("application/json".utf8) { return true }
        return bytes.starts(with: "application/".utf8) && bytes.reversed().starts(with: "+json".utf8.reversed())
    }
}
