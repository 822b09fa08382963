import Dispatch
import Foundation
import Logging
import ShixiangServer

/// Re-reads the access policy file on SIGHUP. A file that no longer parses is reported and the
/// policy in force stays; the next request of every connection sees a new policy.
///
/// SIGHUP is taken over even without a policy file (`systemctl reload` sends it), so a reload
/// never kills the daemon; it only says there is nothing to re-read.
final class PolicyReloader {
    private let source: any DispatchSourceSignal

    init(config: DaemonConfiguration, policy: PolicyStore, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "shixiangd.policy-reload"))
        let path = config.policyFile
        source.setEventHandler {
            guard let path else {
                logger.notice("SIGHUP: no access policy file is configured, so there is nothing to reload")
                return
            }
            do {
                let fresh = try AccessPolicy.load(path: path)
                policy.replace(with: fresh)
                logger.notice("access policy reloaded", metadata: ["policy.file": "\(path)", "policy.principals": "\(fresh.entries.count)"])
            } catch {
                logger.error("access policy not reloaded; the previous one stays in force", metadata: ["error": "\(error)"])
            }
        }
        source.resume()
    }

    func cancel() { source.cancel() }
}
