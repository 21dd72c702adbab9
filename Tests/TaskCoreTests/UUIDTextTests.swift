import Foundation
import Testing

@testable import TaskCore

@Suite("UUID text")
struct UUIDTextTests {
    @Test("prints what Foundation prints, in lower case, and reads it back")
    func roundTrip() {
        for _ in 0..<1_000 {
            let uuid = UUID()
            let text = UUIDText.lowercased(uuid)
            #expect(text == uuid.uuidString.lowercased())
            #expect(UUIDText.withText(uuid) { String(decoding: $0, as: UTF8.self) } == text)
            #expect(UUIDText.uuid(text) == uuid)
            #expect(UUIDText.uuid(uuid.uuidString) == uuid)
        }
        let edges = [
            UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
            UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
        ]
        #expect(edges.map(UUIDText.lowercased) == edges.map { $0.uuidString.lowercased() })
    }

    /// Whether `text` is a UUID in the canonical form: 36 characters, hyphens at offsets 8, 13, 18 and 23, ASCII
    /// hexadecimal digits of either case elsewhere.
    static func isCanonical(_ text: String) -> Bool {
        let characters = Array(text.unicodeScalars)
        guard characters.count == 36 else { return false }
        return characters.indices.allSatisfy { offset in
            [8, 13, 18, 23].contains(offset)
                ? characters[offset] == "-" : characters[offset].properties.isASCIIHexDigit
        }
    }

    /// Foundation's parser (`sscanf` with `%2hhx`) also takes a pair such as " f", "+f", "-f" or "0x" for a
    /// byte, and a trailing NUL: lax forms that would let several texts name one resource. They are refused.
    @Test("accepts the canonical forms UUID(uuidString:) accepts, with the same value, and no other")
    func canonicalOnly() {
        let valid = Array("0f1E2d3C-4b5A-6978-8a9B-aCbDcEdFe0F1")
        let replacements: [Character] = [
            "-", "0", "9", "a", "f", "A", "F", "g", "G", "x", " ", "+", "{", "\0", "é", "٣", "ａ",
        ]
        var checked = 0
        for offset in valid.indices {
            for replacement in replacements {
                var text = valid
                text[offset] = replacement
                let candidate = String(text)
                expectCanonicalOnly(candidate)
                checked += 1
            }
        }
        let whole = String(valid)
        for candidate in [
            "", whole.uppercased(), whole.lowercased(), " " + whole, whole + " ", "{\(whole)}",
            String(whole.dropLast()),
            whole.replacingOccurrences(of: "-", with: ""), whole + "0", "\(whole)\0", "urn:uuid:\(whole)",
        ] {
            expectCanonicalOnly(candidate)
        }
        #expect(checked == valid.count * replacements.count)
    }

    private func expectCanonicalOnly(_ candidate: String) {
        if Self.isCanonical(candidate) {
            #expect(UUID(uuidString: candidate) != nil)
            #expect(UUIDText.uuid(candidate) == UUID(uuidString: candidate), "\(candidate.debugDescription)")
        } else {
            #expect(UUIDText.uuid(candidate) == nil, "\(candidate.debugDescription)")
        }
    }

    @Test("random UUIDs are version 4 with the RFC 4122 variant, and differ")
    func random() {
        let made = (0..<1_000).map { _ in UUIDText.random() }
        #expect(Set(made).count == made.count)
        for uuid in made {
            #expect(uuid.uuid.6 >> 4 == 4)
            #expect(uuid.uuid.8 >> 6 == 0b10)
        }
    }
}
