import ServiceLifecycle
import TaskCore
import TaskHTTP

/// Runs the webhook delivery worker from the end of start-up work (`gate`) until shutdown, then closes the
/// sender's connections. An attempt cut off by the shutdown is made again, by this process or another one, when
/// its claim runs out.
struct WebhookDeliveryService: Service {
    let worker: WebhookDeliveryWorker
    let sender: HTTPWebhookSender
    let gate: StartupGate

    func run() async throws {
        let worker = worker
        let gate = gate
        await cancelWhenGracefulShutdown {
            await gate.wait()
            await worker.run()
        }
        await sender.shutdown()
    }
}
