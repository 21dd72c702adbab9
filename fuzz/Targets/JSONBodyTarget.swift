import Foundation
import TaskCore

/// Fuzzes the body decoders: strict JSON, then every task body reader, as the routes run them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONBody(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let body = try? JSONBody.parse(bytes) else { return 0 }
    _ = try? TaskRequests.newTask(body)
    _ = try? TaskRequests.patch(body, replacing: false)
    _ = try? TaskRequests.patch(body, replacing: true)
    _ = try? TaskRequests.completion(body)
    if let input = try? TaskRequests.newTask(body) { _ = input.fieldErrors }
    return 0
}
