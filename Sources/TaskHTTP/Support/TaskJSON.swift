import Foundation
import NIOCore
import TaskCore

/// Writes tasks as JSON by hand: the same document `JSONEncoder` would write for `TaskDTO` with sorted keys,
/// without its per-value bookkeeping.
///
/// Tasks are the API's largest and most frequent bodies; in a profile of a list of 20 tasks, `JSONEncoder` was a
/// quarter of taskd's CPU. `TaskJSONTests` checks the output against `JSONSerialization` for awkward strings.
enum TaskJSON {
    /// One task as a JSON object.
    static func object(_ task: TaskItem) -> ByteBuffer {
        var writer = JSONTextWriter()
        writer.writeTask(task)
        return writer.buffer
    }

    /// A page of tasks as `{"data": [...], "next_cursor": ...}`.
    static func page(_ page: Page<TaskItem>) -> ByteBuffer {
        var writer = JSONTextWriter(capacity: 256 + 640 * page.items.count)
        writer.raw("{\"data\":[")
        for (index, task) in page.items.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.writeTask(task)
        }
        writer.raw("],\"next_cursor\":")
        writer.string(page.nextCursor)
        writer.raw("}")
        return writer.buffer
    }
}

/// A JSON document written into a buffer, piece by piece.
struct JSONTextWriter {
    private(set) var buffer: ByteBuffer

    init(capacity: Int = 768) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    /// Writes trusted JSON text (punctuation, keys).
    mutating func raw(_ text: StaticString) {
        buffer.writeStaticString(text)
    }

    /// Writes a JSON string, or `null`.
    mutating func string(_ value: String?) {
        guard var value else { return null() }
        buffer.writeInteger(UInt8(ascii: "\""))
        value.withUTF8 { writeEscaped(UnsafeRawBufferPointer($0)) }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes an id as a JSON string, or `null`.
    mutating func id(_ value: UUID?) {
        guard let value else { return null() }
        UUIDText.withText(value) { quoted($0) }
    }

    /// Writes an instant as a JSON string in the contract's form (`Timestamp.format`), or `null`.
    mutating func timestamp(_ value: Date?) {
        guard let value else { return null() }
        Timestamp.withText(value) { quoted($0) }
    }

    private mutating func null() {
        buffer.writeStaticString("null")
    }

    /// Writes text that needs no escaping (an id, a time stamp) as a JSON string.
    private mutating func quoted(_ text: UnsafeRawBufferPointer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        buffer.writeBytes(text)
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    /// Writes UTF-8 text as the inside of a JSON string: runs without a byte to escape are copied whole.
    private mutating func writeEscaped(_ text: UnsafeRawBufferPointer) {
        var pending = 0
        for index in 0..<text.count {
            let byte = text[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: text[pending..<index]))
                writeEscaped(byte)
                pending = index + 1
            }
        }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: text[pending...]))
    }

    /// Writes an array of JSON strings.
    mutating func strings(_ values: [String]) {
        buffer.writeInteger(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
            string(value)
        }
        buffer.writeInteger(UInt8(ascii: "]"))
    }

    mutating func bool(_ value: Bool) {
        if value { buffer.writeStaticString("true") } else { buffer.writeStaticString("false") }
    }

    mutating func integer(_ value: Int) {
        buffer.writeString(String(value))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `"`, `\` and control characters as `JSONEncoder` writes them.
    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case 0x08: buffer.writeStaticString("\\b")
        case 0x0C: buffer.writeStaticString("\\f")
        case 0x0A: buffer.writeStaticString("\\n")
        case 0x0D: buffer.writeStaticString("\\r")
        case 0x09: buffer.writeStaticString("\\t")
        default:
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
            buffer.writeInteger(Self.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// A task's fields in sorted key order, as `JSONEncoder` with `.sortedKeys` orders them; ids and time stamps
    /// are written straight into the buffer, without a string of their own.
    mutating func writeTask(_ task: TaskItem) {
        raw("{\"assignee_id\":")
        id(task.assigneeID?.uuid)
        raw(",\"completed\":")
        bool(task.isCompleted)
        raw(",\"completed_at\":")
        timestamp(task.completedAt)
        raw(",\"created_at\":")
        timestamp(task.createdAt)
        raw(",\"description\":")
        string(task.description)
        raw(",\"due_date\":")
        timestamp(task.dueDate)
        raw(",\"id\":")
        id(task.id.uuid)
        raw(",\"owner_id\":")
        id(task.ownerID.uuid)
        raw(",\"parent_id\":")
        id(task.parentID?.uuid)
        raw(",\"priority\":")
        string(task.priority.rawValue)
        raw(",\"project_id\":")
        id(task.projectID?.uuid)
        raw(",\"start_date\":")
        timestamp(task.startDate)
        raw(",\"status\":")
        string(task.status.rawValue)
        raw(",\"tags\":")
        strings(task.tags)
        raw(",\"title\":")
        string(task.title)
        raw(",\"updated_at\":")
        timestamp(task.updatedAt)
        raw(",\"version\":")
        integer(task.version)
        raw(",\"workspace_id\":")
        id(task.workspaceID.uuid)
        raw("}")
    }
}
