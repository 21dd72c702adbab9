import Foundation
import Testing

@testable import TaskHTTP

@Suite("Query strings, bearer credentials and If-Match")
struct DecodingTests {
    @Test("form encoding: + is a space, %XX a UTF-8 byte, a bad escape stays, the first of a repeated name counts")
    func queryStrings() throws {
        let query = QueryString("q=alpha+beta&tag=x%2By&name=%C3%A9t%C3%A9&bad=100%&odd=%zz&q=second&flag&=empty")
        #expect(try query.value("q") == "alpha beta")
        #expect(try query.value("tag") == "x+y")
        #expect(try query.value("name") == "été")
        #expect(try query.value("bad") == "100%")
        #expect(try query.value("odd") == "%zz")
        #expect(try query.value("flag") == "")
        #expect(try query.value("missing") == nil)
        #expect(throws: QueryString.InvalidText(name: "x")) { try QueryString("x=%FF").value("x") }
        #expect(try QueryString(nil).value("q") == nil)
    }

    @Test("bearer credentials: the scheme in any case, spaces around the token; anything else is no credential")
    func bearer() {
        #expect(BearerCredential.token(in: "Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(BearerCredential.token(in: "bearer    abc  ") == "abc")
        #expect(BearerCredential.token(in: "BEARER\tabc") == nil)
        for header in [
            nil, "", "Bearer", "Bearer ", "Basic YTpi", "Token abc", "Bearer " + String(repeating: "a", count: 9000),
        ] {
            #expect(BearerCredential.token(in: header) == nil, "\(String(describing: header?.prefix(20)))")
        }
    }

    @Test("If-Match: a version with or without quotes or W/, * for any, anything else matches no version")
    func ifMatch() {
        #expect(TaskRequests.expectedVersion(ifMatch: nil) == nil)
        #expect(TaskRequests.expectedVersion(ifMatch: "*") == nil)
        #expect(TaskRequests.expectedVersion(ifMatch: "\"3\"") == 3)
        #expect(TaskRequests.expectedVersion(ifMatch: "3") == 3)
        #expect(TaskRequests.expectedVersion(ifMatch: "W/\"3\"") == 3)
        for header in ["\"99999999999999999999\"", "\"-1\"", "\"x\"", "\"\""] {
            #expect(TaskRequests.expectedVersion(ifMatch: header) == -1, "\(header)")
        }
    }
}
