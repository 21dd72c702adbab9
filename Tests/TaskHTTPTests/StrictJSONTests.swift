import Foundation
import Testing

@testable import TaskHTTP

@Suite("Strict JSON")
struct StrictJSONTests {
    @Test("RFC 8259 documents parse to the values they spell")
    func valid() throws {
        let value = try StrictJSON.parse(
            Array(#" {"a": [1, -2.5e3, true, false, null, "é\n\u00e9\ud83d\ude00"], "b": {}} "#.utf8))
        #expect(
            value
                == .object([
                    "a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("é\né😀")]),
                    "b": .object([:]),
                ]))
        #expect(try StrictJSON.parse(Array("0".utf8)) == .number(0))
        #expect(try StrictJSON.parse(Array(#""\u0000""#.utf8)) == .string("\u{0}"))
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try StrictJSON.parse(Array(deep.utf8)) }
    }

    @Test(
        "anything else is refused",
        arguments: [
            "", " ", "{", "}", "[1 2]", "tru", "nul", "-", "1e", "1.e5", "00", "-01", "\"abc", #""\u12""#, #""\udc00""#,
            #""\ud800\u0041""#, "{\"a\" 1}", "{1:2}", "[,1]", "[1,,2]",
        ])
    func invalid(text: String) {
        #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.parse(Array(text.utf8)) }
    }

    @Test(
        "overlong and out-of-range UTF-8 is refused",
        arguments: [
            [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xE0, 0x80, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
            [0x22, 0x80, 0x22], [0x22, 0xE2, 0x82, 0x22],
        ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) {
        #expect(throws: StrictJSON.SyntaxError.self) { try StrictJSON.parse(bytes) }
    }
}
