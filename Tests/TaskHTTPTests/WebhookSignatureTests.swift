import Foundation
import TaskHTTP
import Testing

/// The signature header against the Standard Webhooks specification's own example.
@Suite("Webhook signatures")
struct WebhookSignatureTests {
    @Test("the specification's example signs to its published value; each secret adds a signature")
    func specificationExample() {
        let body = Data(#"{"test": 2432232314}"#.utf8)
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let header = WebhookSignature.header(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secrets: [secret])
        #expect(header == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let two = WebhookSignature.header(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body,
            secrets: [secret, "whsec_" + Data(repeating: 7, count: 32).base64EncodedString(), "not-a-secret"])
        #expect(two.split(separator: " ").count == 2 && two.hasPrefix(header + " "))
    }
}
