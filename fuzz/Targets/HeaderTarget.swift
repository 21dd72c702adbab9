import Foundation
import TaskCore

/// Fuzzes the header readers: `If-Match`, `Authorization: Bearer`, and the JWS header of the token inside.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeaders(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = TaskRequests.expectedVersion(ifMatch: text)
    if let token = BearerCredential.token(in: text) {
        _ = JWSHeader.algorithm(of: token)
    }
    _ = JWSHeader.algorithm(of: text)
    return 0
}
