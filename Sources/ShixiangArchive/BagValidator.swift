import Foundation

/// Validates a BagIt bag for archive intake and reports each check under a DA/T 70 property.
///
/// Built-in checks (see ``BagCheckID``): declaration, bag-info, manifest syntax, payload
/// completeness both ways, digests per algorithm (each file read once, streamed, for all
/// algorithms), Payload-Oxum, tag-manifest coverage and digests, layout, no symlinks or special
/// files, no executables, no compressed/encrypted containers, XML well-formed, JSON parses.
/// Then every ``additionalChecks`` entry runs, in order.
///
/// `validate` never throws: an unreadable or missing bag gives a report with failed checks.
/// Symlinks are never followed. The validator does not modify the bag.
public struct BagValidator: Sendable {
    /// Settings of the built-in checks.
    public var options: BagValidationOptions
    /// Checks the integrator adds (chain proof, metadata ranges …), run after the built-in ones.
    public var additionalChecks: [any BagCheck]

    public init(options: BagValidationOptions = BagValidationOptions(), additionalChecks: [any BagCheck] = []) {
        self.options = options
        self.additionalChecks = additionalChecks
    }

    /// Runs every check on the bag at `url` (the bag's root directory).
    public func validate(at url: URL) -> BagReport {
        let path = url.standardizedFileURL.path
        guard let loaded = BagReader.load(url) else {
            let missing = BagCheckResult(id: BagCheckID.bagExists, property: .integrity, passed: false,
                                         message: "\(path) does not exist or is not a directory")
            return BagReport(bagPath: path, checks: [missing])
        }
        var checks = [BagCheckResult(id: BagCheckID.bagExists, property: .integrity, passed: true, message: "\(path) is a directory")]
        checks += StandardBagChecks(loaded, options: options).run()
        for check in additionalChecks { checks += check.run(on: loaded.snapshot) }
        return BagReport(bagPath: path, checks: checks)
    }
}
