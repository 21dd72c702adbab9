import Foundation
import HTTPTypes
import NIOCore
import TaskTestSupport
import Testing

@Suite("HTTP: auth and users")
struct AuthRoutesTests {
    @Test(
        "register 201 with Location; duplicate 409 email_taken; bad fields 422; mass assignment ignored",
        arguments: StoreKind.available)
    func register(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            let created = try await api.send(
                .post, "/api/v1/auth/register",
                json: #"{"email":"Ann@Example.com","password":"password1","name":" Ann ","is_admin":true,"id":"x"}"#)
            #expect(created.status == .created && created.headers[.location] == "/api/v1/users/me")
            #expect(created.string("email") == "ann@example.com" && created.string("name") == "Ann")
            #expect(created.json["is_admin"] as? Bool == false && created.json["password_hash"] == nil)
            let duplicate = try await api.send(
                .post, "/api/v1/auth/register", json: #"{"email":"ann@example.com","password":"password1","name":"A"}"#)
            #expect(duplicate.status == .conflict && duplicate.string("code") == "email_taken")
            let invalid = try await api.send(
                .post, "/api/v1/auth/register", json: #"{"email":"nope","password":"short"}"#)
            #expect(
                invalid.status == .unprocessableContent && Set(invalid.errorFields) == ["email", "password", "name"])
            let long = try await api.send(
                .post, "/api/v1/auth/register",
                json: #"{"email":"b@example.com","password":"\#(String(repeating: "p", count: 73))","name":"B"}"#)
            #expect(long.status == .unprocessableContent && long.errorFields == ["password"])
            let signup = try await api.send(
                .post, "/api/v1/auth/signup",
                json: #"{"email":"c@example.com","password":"password1","username":"Cee"}"#)
            #expect(signup.status == .created && signup.string("name") == "Cee")
        }
    }

    @Test("login by JSON and by form; wrong password and unknown email alike 401; the 6th failure 429 with Retry-After")
    func login() async throws {
        try await APIHarness.make().run { api in
            _ = try await api.signUp("ann")
            let json = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
            #expect(
                json.status == .ok && json.string("token_type") == "bearer" && json.json["expires_in"] as? Int == 1800)
            #expect(json.string("refresh_token") != nil)
            let form = try await api.send(
                .post, "/api/v1/auth/login", headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "username=ann%40example.com&password=password-ann"))
            #expect(form.status == .ok && form.string("access_token") != nil)
            let unknown = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"zed@example.com","password":"password-ann"}"#)
            #expect(unknown.status == .unauthorized && unknown.string("code") == "invalid_credentials")
            for _ in 0..<5 {
                let wrong = try await api.send(
                    .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"wrong-one"}"#)
                #expect(wrong.status == .unauthorized && wrong.string("code") == "invalid_credentials")
                #expect(wrong.string("detail") == unknown.string("detail"))
            }
            let limited = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
            #expect(limited.status == .tooManyRequests && limited.string("code") == "too_many_attempts")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test(
        "refresh rotates the pair; a spent token is refused and revokes the rest; logout 204",
        arguments: StoreKind.available)
    func refresh(_ kind: StoreKind) async throws {
        try await APIHarness.make(kind).run { api in
            _ = try await api.signUp("ann")
            let login = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
            let first = login.string("refresh_token") ?? ""
            let rotated = try await api.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(first)"}"#)
            #expect(rotated.status == .ok && rotated.string("refresh_token") != first)
            let reused = try await api.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(first)"}"#)
            #expect(reused.status == .unauthorized)
            let second = rotated.string("refresh_token") ?? ""
            let revoked = try await api.send(.post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(second)"}"#)
            #expect(revoked.status == .unauthorized)

            let again = try await api.send(
                .post, "/api/v1/auth/login", json: #"{"email":"ann@example.com","password":"password-ann"}"#)
            let token = again.string("access_token") ?? ""
            let refreshToken = again.string("refresh_token") ?? ""
            let logout = try await api.send(
                .post, "/api/v1/auth/logout", token: token, json: #"{"refresh_token":"\#(refreshToken)"}"#)
            #expect(logout.status == .noContent && logout.body.isEmpty)
            let afterLogout = try await api.send(
                .post, "/api/v1/auth/refresh", json: #"{"refresh_token":"\#(refreshToken)"}"#)
            #expect(afterLogout.status == .unauthorized)
        }
    }

    @Test("me, profile changes, password change ends older tokens")
    func me() async throws {
        try await APIHarness.make().run { api in
            let (token, id) = try await api.signUp("ann")
            _ = try await api.signUp("bob")
            let me = try await api.send(.get, "/api/v1/users/me", token: token)
            #expect(me.status == .ok && me.string("id") == id && me.json["password_hash"] == nil)
            let taken = try await api.send(
                .patch, "/api/v1/users/me", token: token, json: #"{"email":"bob@example.com"}"#)
            #expect(taken.status == .conflict && taken.string("code") == "email_taken")
            let renamed = try await api.send(
                .patch, "/api/v1/users/me", token: token, json: #"{"name":"Annie","is_admin":true}"#)
            #expect(renamed.string("name") == "Annie" && renamed.json["is_admin"] as? Bool == false)
            let wrong = try await api.send(
                .post, "/api/v1/users/me/password", token: token,
                json: #"{"current_password":"nope-nope","new_password":"password-new"}"#)
            #expect(wrong.status == .forbidden)
            let changed = try await api.send(
                .post, "/api/v1/users/me/password", token: token,
                json: #"{"current_password":"password-ann","new_password":"password-new"}"#)
            #expect(changed.status == .noContent)
            let old = try await api.send(.get, "/api/v1/users/me", token: token)
            #expect(old.status == .unauthorized)
        }
    }

    @Test("admin routes: 403 to everyone else; a promoted admin lists, changes and disables users")
    func admin() async throws {
        let harness = try await APIHarness.make()
        try await harness.run { api in
            let (annToken, _) = try await api.signUp("ann")
            let (bobToken, bobID) = try await api.signUp("bob")
            #expect(try await api.send(.get, "/api/v1/users", token: annToken).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/users/\(bobID)", token: annToken).status == .forbidden)
            #expect(try await api.send(.delete, "/api/v1/users/\(bobID)", token: annToken).status == .forbidden)
            _ = try await harness.services.admin.promote(email: "ann@example.com")
            let list = try await api.send(.get, "/api/v1/users?limit=1", token: annToken)
            #expect(list.status == .ok && list.items.count == 1 && list.json["next_cursor"] is String)
            let disabled = try await api.send(
                .patch, "/api/v1/users/\(bobID)", token: annToken, json: #"{"disabled":true}"#)
            #expect(disabled.status == .ok && disabled.json["disabled"] as? Bool == true)
            #expect(try await api.send(.get, "/api/v1/users/me", token: bobToken).status == .unauthorized)
            #expect(try await api.send(.delete, "/api/v1/users/\(bobID)", token: annToken).status == .noContent)
            #expect(try await api.send(.get, "/api/v1/users/\(bobID)", token: annToken).status == .notFound)
        }
    }
}
