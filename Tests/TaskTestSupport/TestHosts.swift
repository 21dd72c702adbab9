import Foundation

/// A resolver for tests, with no network: a few public-looking names, one name that points inside, and address
/// literals read as themselves.
public enum TestHosts {
    /// Resolves `host` from a fixed table. - Throws: for a name outside it.
    @Sendable public static func resolve(_ host: String) async throws -> [[UInt8]] {
        switch host {
        case "hooks.example.com", "other.example.com": return [[93, 184, 215, 14]]
        case "inside.example.com": return [[10, 0, 0, 7]]
        case "dual.example.com": return [[93, 184, 215, 14], [127, 0, 0, 1]]
        default:
            let parts = host.split(separator: ".").compactMap { UInt8($0) }
            if parts.count == 4 { return [parts] }
            if host == "::1" { return [Array(repeating: 0, count: 15) + [1]] }
            throw Unknown()
        }
    }

    /// A name the table does not know.
    public struct Unknown: Error {}
}
