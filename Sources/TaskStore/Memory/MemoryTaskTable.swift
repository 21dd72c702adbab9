import HashTreeCollections
import TaskCore

/// The memory store's tasks with indexes by project, parent and workspace, kept in step on every write.
///
/// Each index keeps its tasks in the default order (`TaskSort.default`: created to the millisecond, then id) in a
/// `SortedChunks`, so a page in that order, or its reverse, starts with two binary searches and reads on until it
/// is full: it costs the same in a project of 1,000 tasks as in one of 100,000. Other orders, and lists that name
/// none of the three, make one pass over the narrowest index or every task. Persistent like the rest of
/// `MemoryState`: a transaction that keeps the old table to roll back shares almost all of it.
struct MemoryTaskTable: Sendable {
    private(set) var byID: TreeDictionary<TaskID, TaskItem> = [:]
    private var byProject: TreeDictionary<ProjectID, SortedChunks<TaskOrderKey>> = [:]
    private var byParent: TreeDictionary<TaskID, SortedChunks<TaskOrderKey>> = [:]
    private var byWorkspace: TreeDictionary<WorkspaceID, SortedChunks<TaskOrderKey>> = [:]

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
    func tasks(inProject id: ProjectID) -> [TaskItem] { Array(tasks(in: .project(id), from: nil, descending: false)) }

    /// The direct subtasks of a task.
    func tasks(withParent id: TaskID) -> [TaskItem] { Array(tasks(in: .parent(id), from: nil, descending: false)) }

    /// The tasks of a workspace.
    func tasks(inWorkspace id: WorkspaceID) -> [TaskItem] {
        Array(tasks(in: .workspace(id), from: nil, descending: false))
    }

    /// The tasks of one index in the default order (or its reverse), strictly after `start` in that order.
    func tasks(in index: Index, from start: TaskOrderKey?, descending: Bool) -> OrderedTasks {
        let keys = keys(of: index)
        return descending
            ? OrderedTasks(byID: byID, descending: keys.descending(before: start))
            : OrderedTasks(byID: byID, ascending: keys.ascending(after: start))
    }

    /// The tasks of one index in the default order or its reverse, read one at a time: a page stops reading when
    /// it is full.
    struct OrderedTasks: Sequence, IteratorProtocol {
        fileprivate let byID: TreeDictionary<TaskID, TaskItem>
        fileprivate var ascending: SortedChunks<TaskOrderKey>.Ascending?
        fileprivate var descending: SortedChunks<TaskOrderKey>.Descending?

        fileprivate init(
            byID: TreeDictionary<TaskID, TaskItem>, ascending: SortedChunks<TaskOrderKey>.Ascending? = nil,
            descending: SortedChunks<TaskOrderKey>.Descending? = nil
        ) {
            self.byID = byID
            self.ascending = ascending
            self.descending = descending
        }

        mutating func next() -> TaskItem? {
            while let key = ascending != nil ? ascending?.next() : descending?.next() {
                if let task = byID[key.id] { return task }
            }
            return nil
        }
    }

    /// Which of the table's ordered indexes to read.
    enum Index {
        case project(ProjectID)
        case parent(TaskID)
        case workspace(WorkspaceID)
    }

    private func keys(of index: Index) -> SortedChunks<TaskOrderKey> {
        switch index {
        case .project(let id): byProject[id] ?? SortedChunks()
        case .parent(let id): byParent[id] ?? SortedChunks()
        case .workspace(let id): byWorkspace[id] ?? SortedChunks()
        }
    }

    private mutating func index(_ task: TaskItem) {
        let key = TaskOrderKey(task)
        if let projectID = task.projectID { byProject[projectID, default: SortedChunks()].insert(key) }
        if let parentID = task.parentID { byParent[parentID, default: SortedChunks()].insert(key) }
        byWorkspace[task.workspaceID, default: SortedChunks()].insert(key)
    }

    private mutating func unindex(_ task: TaskItem) {
        let key = TaskOrderKey(task)
        if let projectID = task.projectID { Self.remove(key, from: &byProject, at: projectID) }
        if let parentID = task.parentID { Self.remove(key, from: &byParent, at: parentID) }
        Self.remove(key, from: &byWorkspace, at: task.workspaceID)
    }

    private static func remove<Key: Hashable>(
        _ key: TaskOrderKey, from index: inout TreeDictionary<Key, SortedChunks<TaskOrderKey>>, at indexKey: Key
    ) {
        index[indexKey]?.remove(key)
        if index[indexKey]?.isEmpty == true { index[indexKey] = nil }
    }
}

/// Where a task stands in the default order, `TaskSort.default`: its creation to the millisecond, then its id.
struct TaskOrderKey: Comparable, Sendable {
    let milliseconds: Int64
    let id: TaskID

    init(_ task: TaskItem) {
        milliseconds = task.createdAt.millisecondsSince1970
        id = task.id
    }

    /// The key of a page position of the `created_at` order; `nil` for a position of another order.
    init?(_ position: PagePosition) {
        guard case .date(let date) = position.value else { return nil }
        milliseconds = date.millisecondsSince1970
        id = TaskID(position.id)
    }

    static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.milliseconds != rhs.milliseconds ? lhs.milliseconds < rhs.milliseconds : lhs.id < rhs.id
    }
}
