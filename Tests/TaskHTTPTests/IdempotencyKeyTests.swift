import Foundation
import HTTPTypes
import NIOCore
import TaskCore
import TaskTestSupport
import Testing

@testable import TaskHTTP

/// `Idempotency-Key` on `POST` and `PATCH`: a retry replays the first answer and changes nothing.
@Suite("HTTP: Idempotency-Key")
struct IdempotencyKeyTests {
    func key(_ value: String, _ more: HTTPFields = [:]) -> HTTPFields {
        var fields = more
        fields.append(HTTPField(name: .idempotencyKey, value: value))
        return fields
    }

    @Test(
        "a retried create with the same key replays the first answer and creates nothing",
        arguments: StoreKind.available)
    func replayedCreate(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, _) = try await api.signUp("ann")
            let first = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"Once"}"#, headers: key("create-1"))
            #expect(first.status == .created)
            #expect(first.headers[.idempotentReplayed] == nil)
            for value in ["create-1", #""create-1""#] {
                let again = try await api.send(
                    .post, "/api/v1/tasks", token: token, json: #"{"title":"Once"}"#, headers: key(value))
                #expect(again.status == .created)
                #expect(again.headers[.idempotentReplayed] == "true")
                #expect(again.body == first.body)
                #expect(again.headers[.location] == first.headers[.location])
                #expect(again.headers[.eTag] == first.headers[.eTag])
                #expect(again.headers[.contentType] == first.headers[.contentType])
            }
            #expect(try await api.send(.get, "/api/v1/tasks", token: token).items.count == 1)
        }
    }

    @Test(
        "a replay changes nothing and records no activity, even after the resource changed or was deleted",
        arguments: StoreKind.available)
    func replayChangesNothing(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, _) = try await api.signUp("ann")
            let id = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"A"}"#).string("id"))
            let patchB = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"B"}"#, headers: key("rename"))
            #expect(patchB.status == .ok)
            try await api.send(.patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"C"}"#)
            let replay = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"B"}"#, headers: key("rename"))
            #expect(replay.status == .ok)
            #expect(replay.headers[.idempotentReplayed] == "true")
            #expect(replay.string("title") == "B")
            #expect(replay.json["version"] as? Int == 2)
            let now = try await api.send(.get, "/api/v1/tasks/\(id)", token: token)
            #expect(now.string("title") == "C")
            #expect(now.json["version"] as? Int == 3)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)/activity", token: token).items.count == 3)

            #expect(try await api.send(.delete, "/api/v1/tasks/\(id)", token: token).status == .noContent)
            let afterDelete = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"B"}"#, headers: key("rename"))
            #expect(afterDelete.status == .ok)
            #expect(afterDelete.body == patchB.body)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: token).status == .notFound)
        }
    }

    @Test(
        "a PATCH with If-Match and a key, retried after it applied, replays its 200 instead of answering 412",
        arguments: StoreKind.available)
    func retriedConditionalPatch(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, _) = try await api.signUp("ann")
            let id = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"A"}"#).string("id"))
            let headers = key("conditional", [.ifMatch: "\"1\""])
            let first = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"B"}"#, headers: headers)
            #expect(first.status == .ok)
            #expect(first.headers[.eTag] == "\"2\"")
            let retry = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"B"}"#, headers: headers)
            #expect(retry.status == .ok)
            #expect(retry.headers[.idempotentReplayed] == "true")
            #expect(retry.headers[.eTag] == "\"2\"")
            #expect(retry.body == first.body)
            let stale = try await api.send(
                .patch, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"B"}"#,
                headers: key("another", [.ifMatch: "\"1\""]))
            #expect(stale.status == .preconditionFailed)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: token).json["version"] as? Int == 2)
        }
    }

    @Test(
        "the same key with another method, path, query or body bytes is a 422 naming Idempotency-Key",
        arguments: StoreKind.available)
    func reusedKey(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, _) = try await api.signUp("ann")
            let created = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"A"}"#, headers: key("once"))
            let id = try #require(created.string("id"))
            let others: [(HTTPRequest.Method, String, String)] = [
                (.post, "/api/v1/tasks", #"{"title": "A"}"#),
                (.post, "/api/v1/tasks?x=1", #"{"title":"A"}"#),
                (.patch, "/api/v1/tasks/\(id)", #"{"title":"A"}"#),
                (.post, "/api/v1/workspaces", #"{"title":"A"}"#),
            ]
            for (method, path, json) in others {
                let reused = try await api.send(method, path, token: token, json: json, headers: key("once"))
                #expect(reused.status == .unprocessableContent, "\(method) \(path) \(json)")
                #expect(reused.string("code") == "idempotency_key_reused")
                #expect(reused.errorFields == ["Idempotency-Key"])
            }
            #expect(try await api.send(.get, "/api/v1/tasks", token: token).items.count == 1)
            #expect(try await api.send(.get, "/api/v1/tasks/\(id)", token: token).string("title") == "A")
        }
    }

    @Test("403, 404, 409, 412 and 422 answers are recorded and replayed", arguments: StoreKind.available)
    func recordedFailures(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, _) = try await api.signUp("bob")
            let workspace = try #require(
                try await api.send(.post, "/api/v1/workspaces", token: ann, json: #"{"name":"Acme"}"#).string("id"))
            try await api.send(
                .post, "/api/v1/workspaces/\(workspace)/members", token: ann, json: #"{"email":"bob@example.com"}"#)
            let task = try #require(
                try await api.send(.post, "/api/v1/tasks", token: ann, json: #"{"title":"T"}"#).string("id"))
            let cases: [(String, HTTPRequest.Method, String, String, HTTPFields, HTTPResponse.Status)] = [
                (bob, .patch, "/api/v1/workspaces/\(workspace)", #"{"name":"Mine"}"#, [:], .forbidden),
                (ann, .patch, "/api/v1/tasks/\(UUID())", #"{"title":"X"}"#, [:], .notFound),
                (
                    ann, .post, "/api/v1/workspaces/\(workspace)/members", #"{"email":"bob@example.com"}"#, [:],
                    .conflict
                ),
                (ann, .patch, "/api/v1/tasks/\(task)", #"{"title":"X"}"#, [.ifMatch: "\"99\""], .preconditionFailed),
                (ann, .post, "/api/v1/tasks", #"{"title":""}"#, [:], .unprocessableContent),
            ]
            for (index, (token, method, path, json, headers, status)) in cases.enumerated() {
                let first = try await api.send(
                    method, path, token: token, json: json, headers: key("failure-\(index)", headers))
                #expect(first.status == status, "\(path)")
                // Headers are not compared: the retry without If-Match gets the recorded 412 too.
                let again = try await api.send(method, path, token: token, json: json, headers: key("failure-\(index)"))
                #expect(again.status == status, "\(path)")
                #expect(again.headers[.idempotentReplayed] == "true", "\(path)")
                #expect(again.body == first.body, "\(path)")
            }
            #expect(try await api.send(.get, "/api/v1/tasks/\(task)", token: ann).string("title") == "T")
        }
    }

    @Test("400 and 415 answers are not recorded: the key can be retried and then runs", arguments: StoreKind.available)
    func unrecordedFailures(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, _) = try await api.signUp("ann")
            let body = #"{"title":"T"}"#
            let wrongType = try await api.send(
                .post, "/api/v1/tasks", token: token, json: body, headers: key("typed", [.contentType: "text/plain"]))
            #expect(wrongType.status == .unsupportedMediaType)
            let typed = try await api.send(.post, "/api/v1/tasks", token: token, json: body, headers: key("typed"))
            #expect(typed.status == .created)
            #expect(typed.headers[.idempotentReplayed] == nil)

            for _ in 0..<2 {
                let malformed = try await api.send(
                    .post, "/api/v1/tasks", token: token, json: #"{"title":"#, headers: key("broken"))
                #expect(malformed.status == .badRequest)
                #expect(malformed.headers[.idempotentReplayed] == nil)
            }
            let unauthenticated = try await api.send(
                .post, "/api/v1/tasks", token: "nonsense", json: body, headers: key("later"))
            #expect(unauthenticated.status == .unauthorized)
            let later = try await api.send(.post, "/api/v1/tasks", token: token, json: body, headers: key("later"))
            #expect(later.status == .created)
            #expect(later.headers[.idempotentReplayed] == nil)
            #expect(try await api.send(.get, "/api/v1/tasks", token: token).items.count == 2)
        }
    }

    @Test("keys belong to their user: two users sending one key each get their own change")
    func keysPerUser() async throws {
        try await APIHarness.make().run { api in
            let (ann, _) = try await api.signUp("ann")
            let (bob, _) = try await api.signUp("bob")
            for token in [ann, bob] {
                let created = try await api.send(
                    .post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#, headers: key("shared"))
                #expect(created.status == .created)
                #expect(created.headers[.idempotentReplayed] == nil)
                #expect(try await api.send(.get, "/api/v1/tasks", token: token).items.count == 1)
            }
        }
    }

    @Test("an empty, too long or malformed key, or the header twice, is a 400 that changes nothing")
    func invalidKeys() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            let invalid: [HTTPFields] = [
                key(""), key(String(repeating: "a", count: 256)), key("a b"), key(#""open"#), key(#""""#),
                key(#"a"b"#), key(#""a\x""#), key("a", key("a")),
                HTTPFields([HTTPField(name: .idempotencyKey, lenientValue: Array("caf\u{e9}".utf8))]),
                HTTPFields([HTTPField(name: .idempotencyKey, lenientValue: [0x61, 0x09, 0x62])]),
            ]
            for headers in invalid {
                let answer = try await api.send(
                    .post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#, headers: headers)
                #expect(answer.status == .badRequest, "\(headers)")
                #expect(answer.string("code") == "invalid_idempotency_key", "\(headers)")
            }
            #expect(try await api.send(.get, "/api/v1/tasks", token: token).items.isEmpty)
            for valid in [String(repeating: "a", count: 255), #""with\"quote\"and\\""#, "~!#$%&'*+-.^_`|"] {
                let answer = try await api.send(
                    .post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#, headers: key(valid))
                #expect(answer.status == .created, "\(valid)")
            }
        }
    }

    @Test("the header is ignored on GET, PUT and DELETE, and where answers hold secrets")
    func ignoredRoutes() async throws {
        try await APIHarness.make().run { api in
            let (token, _) = try await api.signUp("ann")
            let id = try #require(
                try await api.send(.post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#).string("id"))
            #expect(try await api.send(.get, "/api/v1/tasks", token: token, headers: key("")).status == .ok)
            let replaced = try await api.send(
                .put, "/api/v1/tasks/\(id)", token: token, json: #"{"title":"U"}"#, headers: key(""))
            #expect(replaced.status == .ok)
            for _ in 0..<2 {
                let login = try await api.send(
                    .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#,
                    headers: key("login"))
                #expect(login.status == .ok)
                #expect(login.headers[.idempotentReplayed] == nil)
            }
            #expect(
                try await api.send(.delete, "/api/v1/tasks/\(id)", token: token, headers: key("")).status == .noContent)
            let password = try await api.send(
                .post, "/api/v1/users/me/password", token: token,
                json: #"{"current_password":"password-ann","new_password":"password-ann-2"}"#, headers: key(""))
            #expect(password.status == .noContent)
        }
    }

    @Test(
        "a key held by a request still running: 409 idempotency_key_in_use with Retry-After",
        .enabled(if: StoreKind.postgresURL != nil || StoreKind.isCI, "POSTGRESQL TESTS SKIPPED: run ./scripts/test"))
    func keyInUse() async throws {
        // The API's store waits 300 ms for a lock, twice; the request holding the key runs on another store.
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let holderStore = try await StoreKind.makePostgresStore(schema: schema)
        let apiStore = try await StoreKind.makePostgresStore(schema: schema, statementTimeout: .milliseconds(300))
        let harness = try await APIHarness.make(store: apiStore) { services in
            services.idempotency = IdempotencyService(store: services.store, attempts: 2)
        }
        try await harness.run { api in
            let (token, userID) = try await api.signUp("ann")
            let user = try #require(UserID(userID))
            let (recorded, recordedSignal) = AsyncStream<Void>.makeStream()
            let (release, releaseSignal) = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await holderStore.transaction { tx in
                    _ = try await tx.recordIdempotentAnswer(
                        TaskCore.RecordedAnswer(status: 201, body: []),
                        for: IdempotentRequest(userID: user, key: "busy", fingerprint: "elsewhere"),
                        at: SteppingClock.start)
                    recordedSignal.yield()
                    for await _ in release { break }
                    throw CancellationError()
                }
            }
            for await _ in recorded { break }
            let busy = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#, headers: key("busy"))
            releaseSignal.yield()
            // The request holding the key fails: its record goes with it, and the key is free again.
            await #expect(throws: CancellationError.self) { try await holder.value }
            #expect(busy.status == .conflict)
            #expect(busy.string("code") == "idempotency_key_in_use")
            #expect(busy.headers[.retryAfter] != nil)
            #expect(try await api.send(.get, "/api/v1/tasks", token: token).items.isEmpty)
            let free = try await api.send(
                .post, "/api/v1/tasks", token: token, json: #"{"title":"T"}"#, headers: key("busy"))
            #expect(free.status == .created)
            #expect(try await api.send(.get, "/api/v1/tasks", token: token).items.count == 1)
        }
    }
}

/// Identical requests with one key racing each other.
@Suite("HTTP: Idempotency-Key under concurrency")
struct IdempotencyKeyRaceTests {
    @Test(
        "eight identical creates with one key at once make one task; every answer is its 201",
        arguments: StoreKind.available)
    func parallelCreates(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let (token, _) = try await api.signUp("ann")
            let answers = try await withThrowingTaskGroup(of: APIResponse.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await api.send(
                            .post, "/api/v1/tasks", token: token, json: #"{"title":"Once"}"#,
                            headers: [.idempotencyKey: "race"])
                    }
                }
                return try await group.reduce(into: [APIResponse]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == .created })
            #expect(Set(answers.compactMap { $0.string("id") }).count == 1)
            #expect(answers.filter { $0.headers[.idempotentReplayed] == "true" }.count == 7)
            #expect(try await api.send(.get, "/api/v1/tasks", token: token).items.count == 1)
        }
    }
}
