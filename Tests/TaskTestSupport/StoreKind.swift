import TaskCore
import TaskStore

/// The store implementations every conformance test runs against.
public enum StoreKind: String, CaseIterable, Sendable {
    case memory

    /// The kinds that can run here.
    public static var available: [StoreKind] { allCases }

    /// A new, empty store of this kind.
    public func makeFreshStore() async throws -> any DataStore {
        switch self {
        case .memory: MemoryStore()
        }
    }
}

