import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TaskCore

/// Builders for the JSON responses of the API.
enum Responses {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    /// `status` with `value` as JSON.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        json(ByteBuffer(bytes: try encoder.encode(value)), status: status, headers: headers)
    }

    /// `status` with a body that is JSON already.
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    /// `201 Created` with the resource and a `Location` that reads it back.
    static func created(_ value: some Encodable, location: String, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.location] = location
        return try json(value, status: .created, headers: fields)
    }

    /// `204 No Content`.
    static func noContent() -> Response {
        Response(status: .noContent)
    }

    /// A task with its `ETag`.
    static func task(_ task: TaskItem, status: HTTPResponse.Status = .ok, location: String? = nil) -> Response {
        var fields: HTTPFields = [.eTag: "\"\(task.version)\""]
        if let location { fields[.location] = location }
        return json(TaskJSON.object(task), status: status, headers: fields)
    }

    /// A page of tasks as `{"data": [...], "next_cursor": ...}`.
    static func taskPage(_ page: Page<TaskItem>) -> Response {
        json(TaskJSON.page(page))
    }

    /// A page as `{"data": [...], "next_cursor": ...}`.
    static func page<Item: Sendable, DTO: Encodable>(_ page: Page<Item>, _ transform: (Item) -> DTO) throws -> Response
    {
        try json(ListDTO(data: page.items.map(transform), nextCursor: page.nextCursor))
    }
}
