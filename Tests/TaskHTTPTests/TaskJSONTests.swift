import Foundation
import NIOCore
import TaskCore
import Testing

@testable import TaskHTTP

/// The hand-written task JSON must read back, through a standard parser, as exactly the task's fields.
@Suite("Task JSON")
struct TaskJSONTests {
    static let awkward =
        "Quote \" backslash \\ slash / tab \t newline \n return \r bell \u{7} unit \u{1F} é 漢字 🚀 </script>"

    static func task(projectID: ProjectID? = nil, tags: [String] = [awkward, "", "plain"]) -> TaskItem {
        TaskItem(
            id: TaskID(UUID()), workspaceID: WorkspaceID(UUID()), projectID: projectID, title: awkward,
            description: "Line one\nLine two\u{0}\u{8}\u{C}", status: .done,
            completedAt: Date(timeIntervalSince1970: 1_800_000_000.123), priority: .high, ownerID: UserID(UUID()),
            dueDate: Date(timeIntervalSince1970: 1_800_003_600), tags: tags,
            createdAt: Date(timeIntervalSince1970: 1_799_000_000.5),
            updatedAt: Date(timeIntervalSince1970: 1_800_000_000.123),
            version: 7)
    }

    static func parse(_ buffer: ByteBuffer) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(
            with: Data(buffer.readableBytesView), options: [.fragmentsAllowed])
        return try #require(object as? [String: Any])
    }

    @Test("every field reads back exactly, awkward text included, and absent values are null")
    func fieldsRoundTrip() throws {
        let task = Self.task()
        let json = try Self.parse(TaskJSON.object(task))
        #expect(
            Set(json.keys) == [
                "id", "workspace_id", "project_id", "parent_id", "title", "description", "status", "completed",
                "completed_at",
                "priority", "assignee_id", "owner_id", "due_date", "start_date", "tags", "created_at", "updated_at",
                "version",
            ])
        #expect(json["id"] as? String == task.id.description)
        #expect(json["workspace_id"] as? String == task.workspaceID.description)
        #expect(json["owner_id"] as? String == task.ownerID.description)
        #expect(json["title"] as? String == Self.awkward)
        #expect(json["description"] as? String == task.description)
        #expect(json["tags"] as? [String] == task.tags)
        #expect(json["status"] as? String == "done" && json["completed"] as? Bool == true)
        #expect(json["priority"] as? String == "high" && json["version"] as? Int == 7)
        #expect(json["completed_at"] as? String == "2027-01-15T08:00:00.123Z")
        #expect(json["created_at"] as? String == Timestamp.format(task.createdAt))
        #expect(json["due_date"] as? String == Timestamp.format(task.dueDate!))
        for key in ["project_id", "parent_id", "assignee_id", "start_date"] {
            #expect(json[key] is NSNull, "\(key) is null")
        }
    }

    @Test("keys come in sorted order, like the other bodies")
    func sortedKeys() {
        let text = String(buffer: TaskJSON.object(Self.task(tags: [])))
        let keys = text.split(separator: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            .filter { text.contains("\"\($0)\":") }
        #expect(keys == keys.sorted())
        #expect(text.hasPrefix("{\"assignee_id\":null,\"completed\":true,"))
    }

    @Test("a page carries its tasks in order and its next cursor, or null")
    func page() throws {
        let first = Self.task(), second = Self.task(projectID: ProjectID(UUID()))
        let json = try Self.parse(TaskJSON.page(Page(items: [first, second], nextCursor: "abc")))
        let data = try #require(json["data"] as? [[String: Any]])
        #expect(data.map { $0["id"] as? String } == [first.id.description, second.id.description])
        #expect(data[1]["project_id"] as? String == second.projectID?.description)
        #expect(json["next_cursor"] as? String == "abc")
        let empty = try Self.parse(TaskJSON.page(Page(items: [], nextCursor: nil)))
        #expect((empty["data"] as? [Any])?.isEmpty == true && empty["next_cursor"] is NSNull)
    }
}
