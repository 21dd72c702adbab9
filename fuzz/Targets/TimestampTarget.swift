import Foundation
import TaskCore

/// Fuzzes time stamp parsing: whatever parses lies within years 0001-9999 and formats back to text that parses to
/// the same instant. Also formats arbitrary instants, which must never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let text = String(decoding: bytes, as: UTF8.self)
    if let date = Timestamp.parse(text) {
        guard Timestamp.isRepresentable(date) else { fatalError("parsed outside years 0001-9999: \(text)") }
        let formatted = Timestamp.format(date)
        guard let again = Timestamp.parse(formatted), again.millisecondsSince1970 == date.millisecondsSince1970 else {
            fatalError("\(text) formatted as \(formatted), which does not parse back")
        }
    }
    if bytes.count >= 8 {
        var bits: UInt64 = 0
        for byte in bytes.prefix(8) { bits = bits << 8 | UInt64(byte) }
        _ = Timestamp.format(Date(millisecondsSince1970: Int64(bitPattern: bits)))
        _ = Timestamp.format(Date(timeIntervalSince1970: Double(bitPattern: bits)))
        _ = Date(timeIntervalSince1970: Double(bitPattern: bits)).truncatedToMilliseconds
    }
    return 0
}
