import Dispatch
import Foundation
import Logging
import ShixiangServer

/// Re-reads the access policy file on SIGHUP. A file that no longer parses is reported and the
/// policy in force stays; the next request of every connection sees a new policy.
final class PolicyReloader {
    private let source: (any DispatchSourceSignal)?

    init(config: DaemonConfiguration, policy: PolicyStore, logger: Logger) {
        guard let path = config.policyFile else {
            source = nil
            return
        }
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "shixiangd.policy-reload"))
        source.setEventHandler {
            do {
                let fresh = try AccessPolicy.load(path: path)
                policy.replace(with: fresh)
                logger.notice("access policy reloaded", metadata: ["policy.file": "\(path)", "policy.principals": "\(fresh.entries.count)"])
            } catch {
                logger.error("access policy not reloaded; the previous one stays in force", metadata: ["error": "\(error)"])
            }
        }
        source.resume()
        self.source = source
    }

    func cancel() { source?.cancel() }
}
