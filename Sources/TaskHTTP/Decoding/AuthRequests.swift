import Foundation
import TaskCore

/// The bodies of the `/api/v1/auth` routes.
enum AuthRequests {
    /// A registration's fields.
    struct Registration: Equatable {
        let email: String
        let password: String
        let name: String
    }

    /// A login's email and password.
    struct Credentials: Equatable {
        let email: String
        let password: String
    }

    /// `{email, password, name}`; with `acceptsUsername` (signup), `username` stands for a missing `name`.
    /// - Throws: `DomainError.validation` naming every bad field, the account rules included.
    static func registration(_ body: JSONBody, acceptsUsername: Bool) throws -> Registration {
        var body = body
        let email = body.required("email", body.string("email"))
        let password = body.required("password", body.string("password"))
        var nameField = body.string("name")
        if !nameField.isSet, acceptsUsername { nameField = body.string("username") }
        let name = body.required("name", nameField)
        let ruleErrors = AccountService.registrationErrors(
            email: email, password: password, name: name)
        guard let email, let password, let name, body.isValid else { throw body.failure(alongWith: ruleErrors) }
        return Registration(email: email, password: password, name: name)
    }

    /// `{email, password}` of a JSON login.
    static func credentials(_ body: JSONBody) throws -> Credentials {
        var body = body
        let email = body.required("email", body.string("email"))
        let password = body.required("password", body.string("password"))
        guard let email, let password, body.isValid else { throw body.failure() }
        return Credentials(email: email, password: password)
    }

    /// `username=<email>&password=` of an OAuth2 password-flow form.
    static func credentials(form: String) throws -> Credentials {
        var form = QueryReader(form)
        let username = form.string("username")
        let password = form.string("password")
        if username == nil { form.add(FieldError(field: "username", message: "is required")) }
        if password == nil { form.add(FieldError(field: "password", message: "is required")) }
        guard let username, let password else { throw DomainError.validation(form.errors.all) }
        try form.finish()
        return Credentials(email: username, password: password)
    }

    /// `{refresh_token}`.
    static func refreshToken(_ body: JSONBody) throws -> String {
        var body = body
        let token = body.required("refresh_token", body.string("refresh_token"))
        guard let token, body.isValid else { throw body.failure() }
        return token
    }
}
