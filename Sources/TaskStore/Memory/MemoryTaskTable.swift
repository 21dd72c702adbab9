import HashTreeCollections
import TaskCore

/// The memory store's tasks with indexes by project, parent and workspace, kept in step on every write.
///
/// Lists and subtree walks start from an index instead of scanning every task, so a project's page costs what
/// that project holds, not what the whole store holds. Persistent like the rest of `MemoryState`: a transaction
/// that keeps the old table to roll back shares almost all of it.
struct MemoryTaskTable: Sendable {
    private(set) var byID: TreeDictionary<TaskID, TaskItem> = [:]
    private var idsByProject: TreeDictionary<ProjectID, TreeSet<TaskID>> = [:]
    private var idsByParent: TreeDictionary<TaskID, TreeSet<TaskID>> = [:]
    private var idsByWorkspace: TreeDictionary<WorkspaceID, TreeSet<TaskID>> = [:]

    subscript(id: TaskID) -> TaskItem? { byID[id] }

    var values: some Collection<TaskItem> { byID.values }

    /// Stores `task`, replacing the stored task with its id.
    mutating func upsert(_ task: TaskItem) {
        if let old = byID[task.id] { unindex(old) }
        byID[task.id] = task
        index(task)
    }

    /// Removes the task with `id`, if any.
    mutating func remove(_ id: TaskID) {
        guard let old = byID.removeValue(forKey: id) else { return }
        unindex(old)
    }

    /// Removes the tasks with `ids` that are stored and returns their ids.
    @discardableResult
    mutating func removeAll(in ids: some Sequence<TaskID>) -> Set<TaskID> {
        var removed = Set<TaskID>()
        for id in ids where byID[id] != nil {
            remove(id)
            removed.insert(id)
        }
        return removed
    }

    /// The tasks of a project.
    func tasks(inProject id: ProjectID) -> [TaskItem] { resolve(idsByProject[id]) }

    /// The direct subtasks of a task.
    func tasks(withParent id: TaskID) -> [TaskItem] { resolve(idsByParent[id]) }

    /// The tasks of a workspace.
    func tasks(inWorkspace id: WorkspaceID) -> [TaskItem] { resolve(idsByWorkspace[id]) }

    private func resolve(_ ids: TreeSet<TaskID>?) -> [TaskItem] {
        guard let ids else { return [] }
        return ids.compactMap { byID[$0] }
    }

    private mutating func index(_ task: TaskItem) {
        if let projectID = task.projectID { idsByProject[projectID, default: []].insert(task.id) }
        if let parentID = task.parentID { idsByParent[parentID, default: []].insert(task.id) }
        idsByWorkspace[task.workspaceID, default: []].insert(task.id)
    }

    private mutating func unindex(_ task: TaskItem) {
        if let projectID = task.projectID { Self.remove(task.id, from: &idsByProject, at: projectID) }
        if let parentID = task.parentID { Self.remove(task.id, from: &idsByParent, at: parentID) }
        Self.remove(task.id, from: &idsByWorkspace, at: task.workspaceID)
    }

    private static func remove<Key: Hashable>(
        _ id: TaskID, from index: inout TreeDictionary<Key, TreeSet<TaskID>>, at key: Key
    ) {
        index[key]?.remove(id)
        if index[key]?.isEmpty == true { index[key] = nil }
    }
}
