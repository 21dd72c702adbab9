import Foundation
import Hummingbird
import NIOCore
import TaskCore

/// A feed as Server-Sent Events: `retry: 2000` first, then each event as `id: <cursor after it>`, `event: <kind>`,
/// `data: <event JSON>`, and a comment line whenever nothing happened for the heartbeat. The stream ends at the
/// token's expiry, soon after the token stops being valid otherwise, and on shutdown; the client reconnects with
/// `Last-Event-ID`.
enum EventStream {
    /// Whether the request asks for a stream.
    static func isRequested(by request: Request) -> Bool {
        request.headers[values: .accept].contains { $0.lowercased().contains("text/event-stream") }
    }

    /// The streaming answer, starting with `first` (already read, so that a refusal was a problem document).
    static func response(
        first: FeedAnswer, scope: FeedScope, kinds: Set<ActivityEventKind>?, caller: Caller,
        credential: Credential, events: EventFeedService, authenticator: Authenticator
    ) -> Response {
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n" + frames(of: first)))
            // `follow` returns at the token's expiry, when it is no longer valid, and when taskd shuts down
            // (`EventFeedService.closeStreams`).
            try await events.follow(
                caller, scope, after: first.nextCursor, kinds: kinds, expiresAt: credential.expiresAt,
                stillValid: { await authenticator.isStillValid(credential) }, shouldStop: { false }
            ) { answer in
                try await writer.write(ByteBuffer(string: answer.events.isEmpty ? ": idle\n\n" : frames(of: answer)))
            }
            try await writer.finish(nil)
        }
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", .accelBuffering: "no"]
        return Response(status: .ok, headers: headers, body: body)
    }

    /// The frames of an answer's events.
    static func frames(of answer: FeedAnswer) -> String {
        let encoder = JSONEncoder()
        var text = ""
        for (event, cursor) in zip(answer.events, answer.cursors) {
            let json = (try? encoder.encode(EventDTO(event))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            text += "id: \(cursor)\nevent: \(event.kind.rawValue)\ndata: \(json)\n\n"
        }
        return text
    }
}
