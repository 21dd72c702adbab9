/// The password rules of the contract: 8 to 72 bytes of UTF-8, never trimmed, never cut, no NUL.
public enum PasswordRules {
    /// Records why `password` is not acceptable for `field`, if it is not.
    public static func check(_ password: String, field: String, into errors: inout FieldErrors) {
        if password.unicodeScalars.contains("\u{0}") {
            errors.add(field, "must not contain a NUL character")
        } else if password.utf8.count < FieldLimits.passwordBytes.lowerBound {
            errors.add(field, "must be at least \(FieldLimits.passwordBytes.lowerBound) bytes")
        } else if password.utf8.count > FieldLimits.passwordBytes.upperBound {
            errors.add(field, "must be at most \(FieldLimits.passwordBytes.upperBound) bytes")
        }
    }

    /// What is wrong with `password` for `field`; empty when it is acceptable.
    public static func errors(_ password: String, field: String) -> [FieldError] {
        var errors = FieldErrors()
        check(password, field: field, into: &errors)
        return errors.all
    }
}
