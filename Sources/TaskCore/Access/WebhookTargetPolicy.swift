import Foundation

/// Which URLs may receive webhooks: `https` only (unless `allowsHTTP`), at most 2048 bytes, with a host that
/// resolves only to public addresses (unless `allowsPrivate`): never loopback, private, link-local, unique-local,
/// shared (CGNAT), multicast or cloud metadata addresses. The check runs when a webhook is saved and again before
/// each attempt, so a name that later resolves elsewhere is caught.
public struct WebhookTargetPolicy: Sendable {
    /// Whether `http` URLs are allowed (`TASKD_WEBHOOK_ALLOW_HTTP`).
    public var allowsHTTP: Bool
    /// Whether private and local addresses are allowed (`TASKD_WEBHOOK_ALLOW_PRIVATE`).
    public var allowsPrivate: Bool
    /// Resolves a host name (or an address literal) to the addresses it names, each 4 or 16 bytes.
    public var resolve: @Sendable (String) async throws -> [[UInt8]]

    /// Creates a policy.
    public init(
        allowsHTTP: Bool = false, allowsPrivate: Bool = false,
        resolve: @escaping @Sendable (String) async throws -> [[UInt8]]
    ) {
        self.allowsHTTP = allowsHTTP
        self.allowsPrivate = allowsPrivate
        self.resolve = resolve
    }

    /// Checks `text` and returns the URL.
    /// - Throws: `DomainError.validation` naming `url`.
    public func check(_ text: String) async throws -> URL {
        try await target(text).url
    }

    /// Checks `text` and returns where to connect: the URL, its host, and the checked address to reach it at (so
    /// that a name cannot resolve to a checked address first and to another one at connection time).
    /// - Throws: `DomainError.validation` naming `url`.
    public func target(_ text: String) async throws -> WebhookTarget {
        func refuse(_ message: String) -> DomainError { .invalid("url", message) }
        guard FieldLimits.webhookURL.contains(text.utf8.count) else { throw refuse("must be 1 to 2048 characters") }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty, let url = components.url
        else { throw refuse("must be an absolute URL") }
        guard scheme == "https" || (scheme == "http" && allowsHTTP) else {
            throw refuse(allowsHTTP ? "must be an http or https URL" : "must be an https URL")
        }
        guard components.user == nil, components.password == nil else {
            throw refuse("must not hold a user name or password")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses: [[UInt8]]
        do {
            addresses = try await resolve(bare)
        } catch {
            throw refuse("names a host that does not resolve")
        }
        guard let first = addresses.first else { throw refuse("names a host that does not resolve") }
        if !allowsPrivate, addresses.contains(where: Self.isInternal) {
            throw refuse("resolves to a loopback, private, link-local or metadata address")
        }
        return WebhookTarget(url: url, host: bare, address: first)
    }

    /// Whether an address is one a webhook may not reach: not a public unicast address.
    public static func isInternal(_ address: [UInt8]) -> Bool {
        switch address.count {
        case 4: return isInternalIPv4(address)
        case 16: return isInternalIPv6(address)
        default: return true
        }
    }

    private static func isInternalIPv4(_ a: [UInt8]) -> Bool {
        switch (a[0], a[1]) {
        case (0, _), (10, _), (127, _): true  // "this network", private, loopback
        case (100, 64...127): true  // shared address space (CGNAT)
        case (169, 254): true  // link-local, and the cloud metadata address 169.254.169.254
        case (172, 16...31), (192, 168): true  // private
        case (192, 0) where a[2] == 0: true  // IETF protocol assignments
        case (198, 18...19): true  // benchmarking
        case (224...255, _): true  // multicast, reserved, broadcast
        default: false
        }
    }

    private static func isInternalIPv6(_ a: [UInt8]) -> Bool {
        if a[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
        if a[0] == 0xFF { return true }  // multicast
        if a[0] & 0xFE == 0xFC { return true }  // unique-local fc00::/7 (holds fd00:ec2::254, a metadata address)
        if a[0] == 0xFE && a[1] & 0xC0 == 0x80 { return true }  // link-local fe80::/10
        // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d): judged by the IPv4 address inside.
        let mapped = a[0..<10].allSatisfy { $0 == 0 } && a[10] == 0xFF && a[11] == 0xFF
        let nat64 = a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xFF && a[3] == 0x9B && a[4..<12].allSatisfy { $0 == 0 }
        if mapped || nat64 { return isInternalIPv4(Array(a[12..<16])) }
        return false
    }
}

/// Where a webhook's request goes: its URL, and the checked address its host resolved to.
public struct WebhookTarget: Sendable, Equatable {
    /// The URL, as checked.
    public var url: URL
    /// The URL's host, without the brackets of an IPv6 literal.
    public var host: String
    /// The address to connect to: 4 or 16 bytes.
    public var address: [UInt8]

    /// The address as text: dotted IPv4, or eight groups of IPv6.
    public var addressText: String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: address.count, by: 2).map { index in
            String(UInt16(address[index]) << 8 | UInt16(address[index + 1]), radix: 16)
        }.joined(separator: ":")
    }
}
