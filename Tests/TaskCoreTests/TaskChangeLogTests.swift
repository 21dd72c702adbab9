import Foundation
import TaskTestSupport
import Testing

@testable import TaskCore

@Suite("Activity events of a task change")
struct TaskChangeLogTests {
    let ids = CountingIDGenerator()
    let at = Date(timeIntervalSince1970: 1_795_341_600)

    func base() -> TaskItem {
        TaskItem(
            id: TaskID(UUID()), workspaceID: WorkspaceID(UUID()), projectID: ProjectID(UUID()), title: "Write",
            ownerID: UserID(UUID()), createdAt: at, updatedAt: at)
    }

    @Test("completion, move and other fields become three events in the contract's order")
    func orderAndContents() throws {
        let before = base()
        var after = before
        after.setStatus(.done, at: at)
        after.projectID = ProjectID(UUID())
        after.title = "Write more"
        after.tags = ["x"]
        after.version = 2
        let events = TaskChangeLog(before: before, after: after).events(actorID: before.ownerID, at: at, ids: ids)
        #expect(events.map(\.kind) == [.taskCompleted, .taskMoved, .taskUpdated])
        guard case .fields(let completion) = events[0].changes, case .fields(let move) = events[1].changes,
            case .fields(let update) = events[2].changes
        else { Issue.record("field changes expected"); return }
        #expect(Set(completion.keys) == ["status", "completed", "completed_at"])
        #expect(completion["completed"] == FieldChange(from: .bool(false), to: .bool(true)))
        #expect(Set(move.keys) == ["project_id"])
        #expect(Set(update.keys) == ["title", "tags"], "updated_at and version are never listed")
    }

    @Test("no change, no event")
    func nothingChanged() {
        let before = base()
        var after = before
        after.updatedAt = at.addingTimeInterval(5)
        after.version = 9
        let log = TaskChangeLog(before: before, after: after)
        #expect(!log.hasChanges)
        #expect(log.events(actorID: before.ownerID, at: at, ids: ids).isEmpty)
    }

    @Test("reopening records task_reopened; a status change short of done is an update")
    func reopenAndStatus() {
        var done = base()
        done.setStatus(.done, at: at)
        var reopened = done
        reopened.setStatus(.inProgress, at: at)
        #expect(reopened.completedAt == nil && !reopened.isCompleted)
        #expect(
            TaskChangeLog(before: done, after: reopened).events(actorID: done.ownerID, at: at, ids: ids).map(\.kind)
                == [.taskReopened])
        let todo = base()
        var started = todo
        started.setStatus(.inProgress, at: at)
        #expect(
            TaskChangeLog(before: todo, after: started).events(actorID: started.ownerID, at: at, ids: ids).map(\.kind)
                == [.taskUpdated])
    }
}
