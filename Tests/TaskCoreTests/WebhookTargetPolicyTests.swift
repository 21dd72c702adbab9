import Foundation
import TaskCore
import TaskTestSupport
import Testing

/// Which URLs may receive webhooks.
@Suite("Webhook targets")
struct WebhookTargetPolicyTests {
    let strict = WebhookTargetPolicy(resolve: TestHosts.resolve)

    @Test("https to a public host is allowed; http only when the server allows it")
    func schemes() async throws {
        #expect(try await strict.check("https://hooks.example.com/in?x=1").host == "hooks.example.com")
        await #expect(throws: DomainError.invalid("url", "must be an https URL")) {
            try await strict.check("http://hooks.example.com/")
        }
        let lenient = WebhookTargetPolicy(allowsHTTP: true, resolve: TestHosts.resolve)
        #expect(try await lenient.check("http://hooks.example.com/").scheme == "http")
        for bad in ["ftp://hooks.example.com/", "hooks.example.com/in", "https://", "https:///path", ""] {
            await #expect(throws: DomainError.self, "\(bad)") { try await lenient.check(bad) }
        }
        let long = "https://hooks.example.com/" + String(repeating: "a", count: 2048)
        await #expect(throws: DomainError.invalid("url", "must be 1 to 2048 characters")) {
            try await strict.check(long)
        }
        await #expect(throws: DomainError.invalid("url", "must not hold a user name or password")) {
            try await strict.check("https://user:secret@hooks.example.com/")
        }
    }

    @Test("hosts that resolve inside are refused unless the server allows private targets")
    func addresses() async throws {
        for url in [
            "https://inside.example.com/", "https://dual.example.com/", "https://127.0.0.1/", "https://10.1.2.3/",
            "https://169.254.169.254/latest/meta-data", "https://192.168.0.1/", "https://172.20.0.1/",
            "https://100.64.0.1/", "https://0.0.0.0/", "https://[::1]/",
        ] {
            await #expect(throws: DomainError.self, "\(url)") { try await strict.check(url) }
        }
        await #expect(throws: DomainError.invalid("url", "names a host that does not resolve")) {
            try await strict.check("https://nowhere.invalid/")
        }
        let lenient = WebhookTargetPolicy(allowsPrivate: true, resolve: TestHosts.resolve)
        #expect(try await lenient.check("https://127.0.0.1:8443/hook").port == 8443)
    }

    @Test("address classes: private, local and metadata ranges are internal, public unicast is not")
    func classes() {
        let inside: [[UInt8]] = [
            [127, 0, 0, 1], [10, 0, 0, 1], [172, 16, 0, 1], [172, 31, 255, 255], [192, 168, 1, 1],
            [169, 254, 169, 254],
            [100, 64, 0, 1], [0, 0, 0, 0], [224, 0, 0, 1], [255, 255, 255, 255],
            Array(repeating: 0, count: 15) + [1], [0xFE, 0x80] + Array(repeating: 0, count: 14),
            [0xFD, 0x00, 0x0E, 0xC2] + Array(repeating: 0, count: 11) + [0x54],
            Array(repeating: 0, count: 10) + [0xFF, 0xFF, 127, 0, 0, 1], [0xFF, 0x02] + Array(repeating: 0, count: 14),
        ]
        for address in inside { #expect(WebhookTargetPolicy.isInternal(address), "\(address)") }
        let external: [[UInt8]] = [
            [93, 184, 215, 14], [8, 8, 8, 8], [172, 32, 0, 1], [100, 128, 0, 1],
            [0x26, 0x06, 0x28, 0x00, 0x02, 0x20, 0x00, 0x01] + Array(repeating: 0, count: 7) + [1],
            Array(repeating: 0, count: 10) + [0xFF, 0xFF, 8, 8, 8, 8],
        ]
        for address in external { #expect(!WebhookTargetPolicy.isInternal(address), "\(address)") }
    }
}
