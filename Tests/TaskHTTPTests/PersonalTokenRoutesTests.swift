import Foundation
import HTTPTypes
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskHTTP

/// `/api/v1/users/me/tokens` and personal access tokens at work: their shape, their scopes, their narrowing to some
/// workspaces, and the moments they stop working.
@Suite("HTTP: personal access tokens")
struct PersonalTokenRoutesTests {
    /// A year after the test clock's start: always in the future and within 366 days.
    static let expiry = "2027-06-01T00:00:00Z"

    @Test(
        "a user makes, lists, reads, uses and revokes a token; the token shows only at creation",
        arguments: StoreKind.available)
    func lifecycle(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let created = try await api.send(
                .post, "/api/v1/users/me/tokens", token: ann,
                json: #"{"name":" CI bot ","scopes":["read","tasks:write","read"],"expires_at":"\#(Self.expiry)"}"#)
            #expect(created.status == .created)
            let id = try #require(created.string("id"))
            let token = try #require(created.string("token"))
            #expect(token.hasPrefix("tdp_") && token.count == 40 && PersonalTokenText.isWellFormed(token))
            #expect(created.string("prefix") == String(token.prefix(8)))
            #expect(created.string("name") == "CI bot")
            #expect(created.json["scopes"] as? [String] == ["read", "tasks:write"])
            #expect(created.json["workspace_ids"] is NSNull && created.json["last_used_at"] is NSNull)
            #expect(created.string("expires_at") == "2027-06-01T00:00:00.000Z")
            #expect(created.headers[.location] == "/api/v1/users/me/tokens/\(id)")
            #expect(created.headers[.eTag] == "\"1\"")

            let listed = try await api.send(.get, "/api/v1/users/me/tokens", token: ann)
            #expect(listed.items.map { $0["id"] as? String } == [id])
            #expect(listed.items.allSatisfy { $0["token"] == nil })

            let me = try await api.send(.get, "/api/v1/users/me", token: token)
            #expect(me.status == .ok && me.string("name") == "ann")
            let read = try await api.send(.get, "/api/v1/users/me/tokens/\(id)", token: ann)
            #expect(read.status == .ok && read.json["token"] == nil && read.headers[.eTag] == "\"1\"")
            #expect(read.string("last_used_at") != nil)

            let stale = try await api.send(
                .delete, "/api/v1/users/me/tokens/\(id)", token: ann, headers: [.ifMatch: "\"2\""])
            #expect(stale.status == .preconditionFailed)
            #expect(try await api.send(.delete, "/api/v1/users/me/tokens/\(id)", token: ann).status == .noContent)
            let refused = try await api.send(.get, "/api/v1/users/me", token: token)
            #expect(refused.status == .unauthorized && refused.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await api.send(.get, "/api/v1/users/me/tokens/\(id)", token: ann).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/users/me/tokens", token: ann).items.isEmpty)
        }
    }

    @Test(
        "each scope allows its routes and a token without it gets 403 insufficient_scope, even for a missing resource")
    func scopes() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let workspace = try await api.workspace("W", token: ann)
            let missing = UUID().uuidString.lowercased()
            // (scope, a request that needs it)
            let cases: [(String, HTTPRequest.Method, String, String?)] = [
                ("read", .get, "/api/v1/workspaces/\(workspace)", nil),
                ("tasks:write", .post, "/api/v1/tasks", #"{"title":"t","workspace_id":"\#(workspace)"}"#),
                ("projects:write", .post, "/api/v1/projects", #"{"name":"p","workspace_id":"\#(workspace)"}"#),
                ("workspaces:write", .patch, "/api/v1/workspaces/\(workspace)", #"{"name":"W2"}"#),
                (
                    "webhooks:write", .post, "/api/v1/workspaces/\(workspace)/webhooks",
                    #"{"url":"https://hooks.example.com/in","events":["*"]}"#
                ),
            ]
            for (scope, method, path, body) in cases {
                let allowed = try await Self.token(api, ann, scopes: [scope])
                let answer = try await api.send(method, path, token: allowed, json: body)
                #expect((200..<300).contains(answer.status.code), "\(scope) \(method) \(path): \(answer.status)")

                let others = TokenScope.allCases.map(\.rawValue).filter { $0 != scope }
                let denied = try await Self.token(api, ann, scopes: others)
                let refused = try await api.send(method, path, token: denied, json: body)
                #expect(refused.status == .forbidden && refused.string("code") == "insufficient_scope")
                #expect(
                    refused.headers[.wwwAuthenticate] == #"Bearer error="insufficient_scope", scope="\#(scope)""#)
            }
            // Decided from the route alone: a resource that does not exist answers the same 403, not 404.
            let reader = try await Self.token(api, ann, scopes: ["read"])
            let ghost = try await api.send(.delete, "/api/v1/tasks/\(missing)", token: reader)
            #expect(ghost.status == .forbidden && ghost.string("code") == "insufficient_scope")
            #expect(try await api.send(.get, "/api/v1/tasks/\(missing)", token: reader).status == .notFound)
        }
    }

    @Test(
        "no token manages tokens, changes the password or email, logs out or reaches admin routes, whatever its scopes")
    func neverWithAToken() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (ann, annID) = try await api.signUp("ann")
            _ = try await harness.services.admin.promote(email: "ann@example.com")
            let all = try await Self.token(api, ann, scopes: TokenScope.allCases.map(\.rawValue))
            let refused: [(HTTPRequest.Method, String, String?)] = [
                (.post, "/api/v1/users/me/tokens", #"{"name":"x","scopes":["read"],"expires_at":"\#(Self.expiry)"}"#),
                (.get, "/api/v1/users/me/tokens", nil),
                (
                    .post, "/api/v1/users/me/password",
                    #"{"current_password":"password-ann","new_password":"another-one"}"#
                ),
                (.patch, "/api/v1/users/me", #"{"email":"new@example.com"}"#),
                (.post, "/api/v1/auth/logout", #"{"refresh_token":"x"}"#),
                (.get, "/api/v1/users", nil),
                (.get, "/api/v1/users/\(annID)", nil),
                (.get, "/api/v1/users/\(annID)/tokens", nil),
            ]
            for (method, path, body) in refused {
                let answer = try await api.send(method, path, token: all, json: body)
                #expect(answer.status == .forbidden, "\(method) \(path): \(answer.status)")
                #expect(answer.string("code") == "forbidden")
            }
            // The same routes with the access token still work.
            #expect(try await api.send(.get, "/api/v1/users", token: ann).status == .ok)
            #expect(try await api.send(.get, "/api/v1/users/me/tokens", token: ann).status == .ok)
        }
    }

    @Test("a token stops at once when it expires, when its user changes the password, is disabled or is deleted")
    func stopsWorking() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (admin, _) = try await api.signUp("root")
            _ = try await harness.services.admin.promote(email: "root@example.com")
            let (ann, annID) = try await api.signUp("ann")

            // Expiry.
            let short = try await Self.token(api, ann, scopes: ["read"], expiresAt: "2026-11-22T10:10:00Z")
            #expect(try await api.send(.get, "/api/v1/users/me", token: short).status == .ok)
            harness.clock.advance(by: 11 * 60)
            #expect(try await api.send(.get, "/api/v1/users/me", token: short).status == .unauthorized)

            // A password change ends tokens made before it, not those made after.
            let before = try await Self.token(api, ann, scopes: ["read"])
            harness.clock.advance(by: 1)
            let changed = try await api.send(
                .post, "/api/v1/users/me/password", token: ann,
                json: #"{"current_password":"password-ann","new_password":"another-one"}"#)
            #expect(changed.status == .noContent)
            #expect(try await api.send(.get, "/api/v1/users/me", token: before).status == .unauthorized)
            let login = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"another-one"}"#)
            let fresh = try #require(login.string("access_token"))
            harness.clock.advance(by: 1)
            let after = try await Self.token(api, fresh, scopes: ["read"])
            #expect(try await api.send(.get, "/api/v1/users/me", token: after).status == .ok)

            // Disabled, then deleted.
            let disabled = try await api.send(
                .patch, "/api/v1/users/\(annID)", token: admin, json: #"{"disabled":true}"#)
            #expect(disabled.status == .ok)
            #expect(try await api.send(.get, "/api/v1/users/me", token: after).status == .unauthorized)
            #expect(try await api.send(.delete, "/api/v1/users/\(annID)", token: admin).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/users/me", token: after).status == .unauthorized)
        }
    }

    @Test("a look-alike with a wrong checksum, an unknown token and a near-token are 401")
    func lookAlikes() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let token = try await Self.token(api, ann, scopes: ["read"])
            let last = token.last == "A" ? "B" : "A"
            let unknown = PersonalTokenText.token(random: String(repeating: "a", count: 30))
            for bearer in [
                String(token.dropLast()) + last, unknown, "tdp_", "tdp_" + String(repeating: "x", count: 5000),
            ] {
                let answer = try await api.send(.get, "/api/v1/users/me", token: bearer)
                #expect(answer.status == .unauthorized && answer.headers[.wwwAuthenticate] == "Bearer")
            }
        }
    }

    @Test(
        "a token narrowed to some workspaces acts as if its user belonged to those only", arguments: StoreKind.available
    )
    func narrowed(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let inside = try await api.workspace("In", token: ann)
            let outside = try await api.workspace("Out", token: ann)
            let outTask = try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"secret","workspace_id":"\#(outside)"}"#)
            let outTaskID = try #require(outTask.string("id"))
            let inTask = try await api.send(
                .post, "/api/v1/tasks", token: ann, json: #"{"title":"open","workspace_id":"\#(inside)"}"#)
            let token = try await Self.token(
                api, ann, scopes: ["read", "tasks:write", "workspaces:write"], workspaces: [inside])

            let workspaces = try await api.send(.get, "/api/v1/workspaces", token: token)
            #expect(workspaces.items.map { $0["id"] as? String } == [inside])
            #expect(try await api.send(.get, "/api/v1/workspaces/\(outside)", token: token).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/tasks/\(outTaskID)", token: token).status == .notFound)
            let tasks = try await api.send(.get, "/api/v1/tasks", token: token)
            #expect(tasks.items.map { $0["id"] as? String } == [inTask.string("id")])
            let elsewhere = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"x","workspace_id":"\#(outside)"}"#)
            #expect(elsewhere.status == .unprocessableContent)
            #expect((elsewhere.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "workspace_id")
            let here = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"x","workspace_id":"\#(inside)"}"#)
            #expect(here.status == .created)
            let newWorkspace = try await api.send(.post, "/api/v1/workspaces", token: token, json: #"{"name":"N"}"#)
            #expect(newWorkspace.status == .forbidden)
            // The same user's unnarrowed token sees both.
            let wide = try await Self.token(api, ann, scopes: ["read"])
            #expect(try await api.send(.get, "/api/v1/tasks/\(outTaskID)", token: wide).status == .ok)
        }
    }

    @Test("the body is checked: name, scopes, expires_at and workspace_ids")
    func validation() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, _) = try await api.signUp("bob")
            let bobs = try await api.workspace("B", token: bob)
            let cases: [(String, String)] = [
                (#"{"name":"x","scopes":["read"]}"#, "expires_at"),
                (#"{"name":"x","scopes":["read"],"expires_at":"2026-11-01T00:00:00Z"}"#, "expires_at"),
                (#"{"name":"x","scopes":["read"],"expires_at":"2027-11-24T00:00:00Z"}"#, "expires_at"),
                (#"{"name":"x","scopes":["read","admin"],"expires_at":"\#(Self.expiry)"}"#, "scopes[1]"),
                (#"{"name":"x","scopes":[],"expires_at":"\#(Self.expiry)"}"#, "scopes"),
                (#"{"name":" ","scopes":["read"],"expires_at":"\#(Self.expiry)"}"#, "name"),
                (#"{"scopes":["read"],"expires_at":"\#(Self.expiry)"}"#, "name"),
                (#"{"name":"x","scopes":["read"],"expires_at":"\#(Self.expiry)","workspace_ids":[]}"#, "workspace_ids"),
                (
                    #"{"name":"x","scopes":["read"],"expires_at":"\#(Self.expiry)","workspace_ids":["nope"]}"#,
                    "workspace_ids[0]"
                ),
                (
                    #"{"name":"x","scopes":["read"],"expires_at":"\#(Self.expiry)","workspace_ids":["\#(bobs)"]}"#,
                    "workspace_ids[0]"
                ),
                (#"{"name":"x","scopes":["read"],"expires_at":"99999-01-01T00:00:00Z"}"#, "expires_at"),
            ]
            for (body, field) in cases {
                let answer = try await api.send(.post, "/api/v1/users/me/tokens", token: ann, json: body)
                #expect(answer.status == .unprocessableContent, "\(body)")
                let fields = (answer.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
                #expect(fields.contains(field), "\(body): \(fields)")
            }
            #expect(try await api.send(.get, "/api/v1/users/me/tokens", token: ann).items.isEmpty)
        }
    }

    @Test("at most 50 unexpired tokens: the 51st is 409 too_many_tokens; a revoked or expired one no longer counts")
    func limit() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (ann, _) = try await api.signUp("ann")
            let soon = try await Self.token(api, ann, scopes: ["read"], expiresAt: "2026-11-22T10:10:00Z")
            for _ in 1..<PersonalTokenService.maximumUnexpired { _ = try await Self.token(api, ann, scopes: ["read"]) }
            let body = #"{"name":"x","scopes":["read"],"expires_at":"\#(Self.expiry)"}"#
            let refused = try await api.send(.post, "/api/v1/users/me/tokens", token: ann, json: body)
            #expect(refused.status == .conflict && refused.string("code") == "too_many_tokens")
            harness.clock.advance(by: 11 * 60)
            #expect(try await api.send(.get, "/api/v1/users/me", token: soon).status == .unauthorized)
            let fresh = try await api.send(.post, "/api/v1/users/me/tokens", token: ann, json: body)
            #expect(fresh.status == .created)
            let again = try await api.send(.post, "/api/v1/users/me/tokens", token: ann, json: body)
            #expect(again.status == .conflict)
            let id = try #require(fresh.string("id"))
            #expect(try await api.send(.delete, "/api/v1/users/me/tokens/\(id)", token: ann).status == .noContent)
            #expect(try await api.send(.post, "/api/v1/users/me/tokens", token: ann, json: body).status == .created)
        }
    }

    @Test("a system administrator lists and revokes a user's tokens; anyone else gets 403")
    func administration() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (root, _) = try await api.signUp("root")
            _ = try await harness.services.admin.promote(email: "root@example.com")
            let (ann, annID) = try await api.signUp("ann")
            let (bob, _) = try await api.signUp("bob")
            let token = try await Self.token(api, ann, scopes: ["read"])
            let tokens = try await api.send(.get, "/api/v1/users/\(annID)/tokens", token: root)
            #expect(tokens.status == .ok && tokens.items.count == 1 && tokens.items[0]["token"] == nil)
            let id = try #require(tokens.items.first?["id"] as? String)

            #expect(try await api.send(.get, "/api/v1/users/\(annID)/tokens", token: bob).status == .forbidden)
            #expect(
                try await api.send(.delete, "/api/v1/users/\(annID)/tokens/\(id)", token: bob).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/users/me", token: token).status == .ok)

            #expect(
                try await api.send(.delete, "/api/v1/users/\(annID)/tokens/\(id)", token: root).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/users/me", token: token).status == .unauthorized)
            #expect(try await api.send(.delete, "/api/v1/users/\(annID)/tokens/\(id)", token: root).status == .notFound)
            let nobody = UUID().uuidString.lowercased()
            #expect(try await api.send(.get, "/api/v1/users/\(nobody)/tokens", token: root).status == .notFound)
        }
    }

    @Test("an event stream read with a token ends when the token is revoked")
    func streamEndsOnRevocation() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (ann, _) = try await api.signUp("ann")
            let workspace = try await api.workspace("W", token: ann)
            let created = try await api.send(
                .post, "/api/v1/users/me/tokens", token: ann,
                json: #"{"name":"feed","scopes":["read"],"expires_at":"\#(Self.expiry)"}"#)
            let token = try #require(created.string("token"))
            let id = try #require(created.string("id"))
            async let streamed = api.send(
                .get, "/api/v1/workspaces/\(workspace)/events", token: token, headers: [.accept: "text/event-stream"])
            try await EventStreamRoutesTests.waitForStream(harness)
            #expect(try await api.send(.delete, "/api/v1/users/me/tokens/\(id)", token: ann).status == .noContent)
            let answer = try await streamed
            #expect(answer.status == .ok && answer.text.contains("event: workspace_member_added"))
        }
    }

    @Test("Idempotency-Key is ignored on token creation: two requests make two tokens")
    func noReplayOfSecrets() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let body = #"{"name":"x","scopes":["read"],"expires_at":"\#(Self.expiry)"}"#
            let first = try await api.send(
                .post, "/api/v1/users/me/tokens", token: ann, json: body, headers: [.idempotencyKey: "k1"])
            let second = try await api.send(
                .post, "/api/v1/users/me/tokens", token: ann, json: body, headers: [.idempotencyKey: "k1"])
            #expect(first.status == .created && second.status == .created)
            #expect(first.string("token") != second.string("token") && second.headers[.idempotentReplayed] == nil)
        }
    }

    /// Makes a token as the holder of `accessToken`; returns the token.
    static func token(
        _ api: APIClient, _ accessToken: String, scopes: [String], workspaces: [String]? = nil,
        expiresAt: String = expiry
    ) async throws -> String {
        let scopeList = scopes.map { "\"\($0)\"" }.joined(separator: ",")
        let workspaceList = workspaces.map {
            ",\"workspace_ids\":[" + $0.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        }
        let created = try await api.send(
            .post, "/api/v1/users/me/tokens", token: accessToken,
            json: #"{"name":"t","scopes":[\#(scopeList)],"expires_at":"\#(expiresAt)"\#(workspaceList ?? "")}"#)
        #expect(created.status == .created, "\(String(decoding: created.body, as: UTF8.self))")
        return try #require(created.string("token"))
    }
}
