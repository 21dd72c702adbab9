import Foundation
import TaskCore

/// Fuzzes the query string decoders: form decoding, then the task list's filters, sort and page, and an event
/// feed's query.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? TaskRequests.listQuery(text)
    _ = try? EventRequests.feedQuery(text)
    var reader = QueryReader(text)
    _ = reader.page()
    _ = reader.bool("archived")
    _ = reader.id("workspace_id", as: IDKind.Workspace.self)
    return 0
}
