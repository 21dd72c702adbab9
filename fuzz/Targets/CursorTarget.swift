import Foundation
import TaskCore

/// Fuzzes cursor decoding for every ordering taskd pages by, and event feed cursors. The first byte picks how the rest is read: as the
/// cursor text itself, or as the JSON inside one (encoded the way taskd encodes cursors), so that the fuzzer
/// reaches the position decoder without having to find base64 first. A cursor that decodes must encode back to
/// itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCursor(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let mode = bytes.first else { return 0 }
    let rest = Data(bytes.dropFirst())
    let text: String
    if mode & 1 == 0 {
        text = String(decoding: rest, as: UTF8.self)
    } else {
        text = rest.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
    var orderings: [(String, CursorValues)] = [
        ("workspaces", .dates), ("projects", .dates), ("comments", .dates), ("users", .dates),
        ("workspace_members", .dates), ("project_members", .dates), ("activity", .integers(0...Int.max)),
    ]
    for field in TaskSort.Field.allCases {
        for descending in [false, true] {
            let sort = TaskSort(field: field, isDescending: descending)
            orderings.append((sort.name, sort.cursorValues))
        }
    }
    for (ordering, values) in orderings {
        guard let position = try? PageCursor.position(from: text, ordering: ordering, values: values) else { continue }
        let again = try? PageCursor.position(
            from: PageCursor(ordering: ordering, position: position).encoded, ordering: ordering, values: values)
        if again != position { fatalError("a decoded cursor did not encode back to itself: \(text)") }
    }
    // Event feed cursors: one that decodes for a feed encodes back to the same cursor.
    let feed = FeedScope.workspace(WorkspaceID(UUID(uuidString: "00000000-0000-0000-0000-000000000001") ?? UUID()))
    if let cursor = try? EventCursor.decode(text, for: feed) {
        let again = try? EventCursor.decode(cursor.encoded, for: feed)
        if again != cursor { fatalError("a decoded event cursor did not encode back to itself: \(text)") }
    }
    return 0
}
