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
        writer.writeTask(TaskDTO(task))
        return writer.buffer
    }

    /// A page of tasks as `{"data": [...], "next_cursor": ...}`.
    static func page(_ page: Page<TaskItem>) -> ByteBuffer {
        var writer = JSONTextWriter(capacity: 256 + 640 * page.items.count)
        writer.raw("{\"data\":[")
        for (index, task) in page.items.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.writeTask(TaskDTO(task))
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
        guard let value else {
            buffer.writeStaticString("null")
            return
        }
        buffer.writeInteger(UInt8(ascii: "\""))
        var pending = value.utf8.startIndex
        let utf8 = value.utf8
        var index = pending
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.writeBytes(utf8[pending..<index])
                writeEscaped(byte)
                pending = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        buffer.writeBytes(utf8[pending..<utf8.endIndex])
        buffer.writeInteger(UInt8(ascii: "\""))
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

    /// A task's fields in sorted key order, as `JSONEncoder` with `.sortedKeys` orders them.
    mutating func writeTask(_ task: TaskDTO) {
        raw("{\"assignee_id\":")
        string(task.assignee_id)
        raw(",\"completed\":")
        bool(task.completed)
        raw(",\"completed_at\":")
        string(task.completed_at)
        raw(",\"created_at\":")
        string(task.created_at)
        raw(",\"description\":")
        string(task.description)
        raw(",\"due_date\":")
        string(task.due_date)
        raw(",\"id\":")
        string(task.id)
        raw(",\"owner_id\":")
        string(task.owner_id)
        raw(",\"parent_id\":")
        string(task.parent_id)
        raw(",\"priority\":")
        string(task.priority)
        raw(",\"project_id\":")
        string(task.project_id)
        raw(",\"start_date\":")
        string(task.start_date)
        raw(",\"status\":")
        string(task.status)
        raw(",\"tags\":")
        strings(task.tags)
        raw(",\"title\":")
        string(task.title)
        raw(",\"updated_at\":")
        string(task.updated_at)
        raw(",\"version\":")
        integer(task.version)
        raw(",\"workspace_id\":")
        string(task.workspace_id)
        raw("}")
    }
}
