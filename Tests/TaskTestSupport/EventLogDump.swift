import Foundation
import PostgresNIO
import TaskCore

@testable import TaskStore

/// The event log of a workspace as PostgreSQL holds it, for the message of a failed feed test: one line per event
/// with its id, kind, transaction id, sequence and time, in sequence order.
public enum EventLogDump {
    /// The lines, or an empty string on the memory store (or when the store does not answer).
    public static func lines(_ store: any DataStore, workspace: WorkspaceID) async -> String {
        guard store is PostgresStore else { return "" }
        let found = try? await store.transaction { tx -> [String] in
            guard let tx = tx as? PostgresTransaction else { return [] }
            return try await tx.rows(
                """
                SELECT id::text, kind, xid::text, sequence, at::text FROM activity_events
                WHERE workspace_id = \(workspace.uuid) ORDER BY sequence
                """
            ) { row in
                let (id, kind, xid, sequence, at) = try row.decode((String, String, String, Int64, String).self)
                return "\(id.suffix(4)) \(kind) xid=\(xid) seq=\(sequence) at=\(at)"
            }
        }
        return (found ?? []).joined(separator: "\n")
    }
}
