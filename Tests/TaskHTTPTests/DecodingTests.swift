import Foundation
import HTTPTypes
import Hummingbird
import TaskCore
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

    @Test("Content-Type: application/json or application/*+json, in any case, spaces and parameters around it")
    func jsonContentTypes() {
        let json = [
            "application/json", "Application/JSON", "application/json; charset=utf-8", " \tapplication/json \t;x=1",
            "application/vnd.api+json", "APPLICATION/PROBLEM+JSON", "application/+json", "\u{A0}application/json",
        ]
        let other = [
            "", ";application/json", "application/json5", "text/json", "application/jsonx; a=b", "application",
            "application/json+xml", "app lication/json", "application/json\u{A0}x", "applicaTİon/json",
        ]
        for contentType in json { #expect(JSONBody.isJSON(contentType), "\(contentType.debugDescription)") }
        for contentType in other { #expect(!JSONBody.isJSON(contentType), "\(contentType.debugDescription)") }
        #expect(!JSONBody.isJSON(nil))
    }

    @Test("a header's value: none, the one sent, or a repeated field's values joined as HTTPFields joins them")
    func headerValues() {
        var fields: HTTPFields = [.contentType: "application/json"]
        #expect(fields.value(of: .authorization) == nil)
        #expect(fields.value(of: .contentType) == "application/json")
        #expect(fields.value(of: HTTPField.Name("CONTENT-TYPE")!) == "application/json")
        fields.append(HTTPField(name: .authorization, value: "Bearer a"))
        fields.append(HTTPField(name: .authorization, value: "Bearer b"))
        #expect(fields.value(of: .authorization) == "Bearer a, Bearer b")
        #expect(fields.value(of: .authorization) == fields[.authorization])
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

    @Test("If-Match: the strong tags it lists, * for any; a weak tag or junk matches no version")
    func ifMatch() {
        func condition(_ header: String) -> VersionPrecondition? {
            Preconditions.ifMatch(
                Request(
                    head: .init(
                        method: .patch, scheme: "http", authority: "x", path: "/", headerFields: [.ifMatch: header]),
                    body: .init(buffer: .init())))
        }
        #expect(condition("\"3\"")?.isSatisfied(byTag: "3") == true)
        #expect(condition("3")?.isSatisfied(byTag: "3") == true)
        #expect(condition("\"2\", \"3\"")?.isSatisfied(byTag: "3") == true)
        #expect(condition("*")?.isSatisfied(byTag: "7-owner") == true)
        for header in ["W/\"3\"", "\"99999999999999999999\"", "\"-1\"", "\"x", "\"\""] {
            #expect(condition(header)?.isSatisfied(byTag: "3") == false, "\(header)")
        }
    }
}
