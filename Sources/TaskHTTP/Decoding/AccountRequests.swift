import Foundation
import TaskCore

/// The bodies of the `/api/v1/users` routes.
enum AccountRequests {
    /// A change of the caller's own name or email; `nil` leaves a field as it is.
    struct ProfileChange: Equatable {
        let name: String?
        let email: String?
    }

    /// A password change.
    struct PasswordChange: Equatable {
        let current: String
        let new: String
    }

    /// An administrator's change of a user; `nil` leaves a field as it is.
    struct UserChange: Equatable {
        let name: String?
        let isAdmin: Bool?
        let isDisabled: Bool?
    }

    /// `PATCH /api/v1/users/me`: `name`, `email`, each optional but never `null`.
    static func profileChange(_ body: JSONBody) throws -> ProfileChange {
        var body = body
        let name = body.value(body.nonNull("name", body.string("name")))
        let email = body.value(body.nonNull("email", body.string("email")))
        try body.finish(alongWith: AccountService.profileErrors(name: name, email: email))
        return ProfileChange(name: name, email: email)
    }

    /// `POST /api/v1/users/me/password`: `{current_password, new_password}`.
    static func passwordChange(_ body: JSONBody) throws -> PasswordChange {
        var body = body
        let current = body.required("current_password", body.string("current_password"))
        let new = body.required("new_password", body.string("new_password"))
        guard let current, let new, body.isValid else {
            throw body.failure(alongWith: new.map { PasswordRules.errors($0, field: "new_password") } ?? [])
        }
        return PasswordChange(current: current, new: new)
    }

    /// `PATCH /api/v1/users/{id}`: `name`, `is_admin`, `disabled`, each optional but never `null`.
    static func userChange(_ body: JSONBody) throws -> UserChange {
        var body = body
        let name = body.value(body.nonNull("name", body.string("name")))
        let isAdmin = body.value(body.nonNull("is_admin", body.bool("is_admin")))
        let isDisabled = body.value(body.nonNull("disabled", body.bool("disabled")))
        try body.finish(alongWith: AccountService.profileErrors(name: name, email: nil))
        return UserChange(name: name, isAdmin: isAdmin, isDisabled: isDisabled)
    }
}
