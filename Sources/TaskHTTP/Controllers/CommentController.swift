import Hummingbird
import TaskCore

/// `/api/v1/comments/*`: one comment, read, edited or deleted (they are added and listed under their task).
struct CommentController: Sendable {
    let comments: CommentService

    var routes: [Route] {
        [
            .claimed(.get, "/api/v1/comments/{id}", read),
            .claimed(.patch, "/api/v1/comments/{id}", edit),
            .claimed(.delete, "/api/v1/comments/{id}", delete),
        ]
    }

    func read(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try Responses.read(
            CommentDTO(try await comments.comment(context.claim, id: try context.pathID("id", .comment))), for: request
        )
    }

    func edit(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        let id: CommentID = try context.pathID("id", .comment)
        let body = try await JSONBody.read(request, context: context.request)
        let comment = try await comments.edit(context.claim, id: id, precondition: Preconditions.ifMatch(request)) {
            try CommentRequests.body(body)
        }
        return try Responses.tagged(CommentDTO(comment))
    }

    func delete(_ request: Request, _ context: ClaimedContext) async throws -> Response {
        try await comments.delete(
            context.claim, id: try context.pathID("id", .comment), precondition: Preconditions.ifMatch(request))
        return Responses.noContent()
    }
}
