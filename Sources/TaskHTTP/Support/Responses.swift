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

    /// `status` with a body that is JSON already. `headers` holds no `Content-Type`: it is appended, not searched
    /// for and replaced.
    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields.append(jsonContentType)
        return Response(status: status, headers: fields, body: .init(byteBuffer: body))
    }

    private static let jsonContentType = HTTPField(name: .contentType, value: "application/json; charset=utf-8")

    /// `204 No Content`.
    static func noContent() -> Response {
        Response(status: .noContent)
    }

    /// A resource with its `ETag`, and a `Location` when it was just created.
    static func tagged(
        _ value: some Tagged, status: HTTPResponse.Status = .ok, location: String? = nil
    ) throws -> Response {
        var fields: HTTPFields = [.eTag: "\"\(value.entityTag)\""]
        if let location { fields[.location] = location }
        return try json(value, status: status, headers: fields)
    }

    /// A read of one resource: `304 Not Modified` with its `ETag` and no body when the request's `If-None-Match`
    /// lists the current tag (weak comparison; `*` matches), else the resource with its `ETag`.
    static func read(_ value: some Tagged, for request: Request) throws -> Response {
        if let notModified = notModified(value.entityTag, request) { return notModified }
        return try tagged(value)
    }

    /// A read of one task (see `read(_:for:)`).
    static func readTask(_ task: TaskItem, for request: Request) -> Response {
        notModified("\(task.version)", request) ?? self.task(task)
    }

    private static func notModified(_ tag: String, _ request: Request) -> Response? {
        guard let condition = EntityTagCondition(request.headers.value(of: .ifNoneMatch)), condition.matchesWeakly(tag)
        else {
            return nil
        }
        return Response(status: .notModified, headers: [.eTag: "\"\(tag)\""])
    }

    /// Whether a task's JSON is encoded when the body is written rather than now. A request with an
    /// `Idempotency-Key` sets it: its answer is recorded in the change's transaction, and the memory store runs one
    /// change at a time, so an encoding there would hold up every other change. The answer is then made into bytes
    /// once, after the commit (`RecordableResponse`).
    @TaskLocal static var encodesBodyLater = false

    /// A task with its `ETag`.
    static func task(_ task: TaskItem, status: HTTPResponse.Status = .ok, location: String? = nil) -> Response {
        // Appended one by one into room for all three: a dictionary literal and subscript assignments each search
        // the fields for the name first.
        var fields = HTTPFields()
        fields.reserveCapacity(3)
        fields.append(HTTPField(name: .eTag, value: "\"\(task.version)\""))
        if let location { fields.append(HTTPField(name: .location, value: location)) }
        fields.append(jsonContentType)
        guard encodesBodyLater else {
            return Response(status: status, headers: fields, body: .init(byteBuffer: TaskJSON.object(task)))
        }
        return Response(
            status: status, headers: fields,
            body: ResponseBody { writer in
                try await writer.write(TaskJSON.object(task))
                try await writer.finish(nil)
            })
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
