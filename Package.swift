// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Shixiang",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // C libraries from Debian, behind module maps only.
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // Storage: bytes in LMDB.
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        // SHA-256 / SHA-512 / SM3 from libcrypto.
        .target(name: "ShixiangDigest", dependencies: ["CCrypto"]),

        // Strict, fast JSON with a canonical form for hashing.
        .target(name: "ShixiangJSON"),
        // The append-only, hash-chained event log: positions, envelopes, group commit. No domain.
        .target(name: "EventLog", dependencies: [
            "LMDB", "ShixiangJSON", "ShixiangDigest",
            .product(name: "Logging", package: "swift-log"),
        ]),

        // JSON-RPC 2.0 messages and error codes, shared by server and client.
        .target(name: "ShixiangRPC", dependencies: ["ShixiangJSON"]),
        // The daemon's socket service: connections, dispatch, the methods.
        .target(name: "ShixiangServer", dependencies: [
            "EventLog", "Registry", "RegistryArchive", "ShixiangArchive", "ShixiangRPC", "ShixiangJSON", "ShixiangDigest", "ShixiangCodes", "ShixiangCalendar", "LMDB",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // The client library the CLI, the tests and the benchmark use.
        // Blocking Unix-socket I/O, with an async face that runs it on a thread per connection.
        .target(name: "ShixiangClient", dependencies: ["ShixiangRPC", "ShixiangJSON"]),

        // Configuration, lock file and lifecycle of the daemon process.
        .target(name: "ShixiangDaemon", dependencies: [
            "ShixiangServer", "EventLog", "Registry", "ShixiangClient",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .executableTarget(name: "shixiangd", dependencies: [
            "ShixiangDaemon",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "shixiang", dependencies: [
            "ShixiangClient", "ShixiangRPC", "ShixiangJSON", "ShixiangDigest",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Working days: statutory holidays and make-up workdays, deadlines in working days.
        .target(name: "ShixiangCalendar", resources: [.copy("Resources/cn-workcalendar.json")]),

        // GB/T 39046 code tables, credit codes, 基本编码 / 实施编码, element definitions, CSV.
        .target(name: "ShixiangCodes"),

        // Validation, normalisation and spreadsheet (CSV) mapping of directory elements and implementation fields.
        .target(name: "ShixiangElements", dependencies: ["ShixiangCodes", "ShixiangJSON"]),

        // The registry: units, catalogue, implementation lists, adjustments and filings as events,
        // rules (decide) and projections (apply).
        .target(name: "Registry", dependencies: [
            "EventLog", "LMDB", "ShixiangJSON", "ShixiangCodes", "ShixiangElements", "ShixiangCalendar", "ShixiangDigest",
        ]),

        // The archive job: a range of the log as electronic records, and their verification.
        .target(name: "RegistryArchive", dependencies: [
            "Registry", "EventLog", "ShixiangArchive", "ShixiangDigest", "ShixiangJSON",
        ]),

        // Electronic records: BagIt bags (SHA-256 + SM3 manifests), DA/T 48 encapsulation XML, DA/T 70 checks.
        .target(name: "ShixiangArchive", dependencies: ["ShixiangDigest", "ShixiangJSON"]),

        // Helpers shared by the test targets (temporary directories, a daemon under test).
        .target(name: "ShixiangTestSupport", dependencies: ["ShixiangClient", "ShixiangCodes", "ShixiangJSON"]),

        .testTarget(name: "ShixiangE2ETests", dependencies: [
            "ShixiangClient", "ShixiangRPC", "ShixiangJSON", "ShixiangTestSupport", "LMDB", "EventLog",
        ]),
        .testTarget(name: "ShixiangJSONTests", dependencies: ["ShixiangJSON", "ShixiangTestSupport"]),
        .testTarget(name: "ShixiangRPCTests", dependencies: [
            "ShixiangRPC", "ShixiangJSON",
        ]),
        .testTarget(name: "ShixiangDaemonTests", dependencies: ["ShixiangDaemon", "ShixiangServer", "Registry", "EventLog", "ShixiangJSON", "ShixiangTestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "EventLog", "LMDB", "ShixiangCodes", "ShixiangElements", "ShixiangJSON", "ShixiangCalendar", "ShixiangTestSupport"],
                    exclude: ["Fixtures/golden"], resources: [.copy("Fixtures/guangan-items.csv")]),
        .testTarget(name: "RegistryArchiveTests", dependencies: ["RegistryArchive", "Registry", "EventLog", "ShixiangArchive", "ShixiangJSON", "ShixiangTestSupport"]),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "ShixiangTestSupport", "ShixiangDigest"]),
        .testTarget(name: "ShixiangCodesTests", dependencies: ["ShixiangCodes"], resources: [.copy("Fixtures/guangan-items.csv")]),
        .testTarget(name: "ShixiangElementsTests", dependencies: ["ShixiangElements", "ShixiangCodes", "ShixiangJSON", "ShixiangTestSupport"],
                    resources: [.copy("Fixtures/guangan-items.csv")]),
        .testTarget(name: "ShixiangArchiveTests", dependencies: ["ShixiangArchive", "ShixiangDigest"]),
        .testTarget(name: "ShixiangCalendarTests", dependencies: ["ShixiangCalendar", "ShixiangTestSupport"]),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "ShixiangTestSupport"]),
        .testTarget(name: "ShixiangDigestTests", dependencies: ["ShixiangDigest"]),

        // Benchmark: the daemon against raw C baselines (LMDB commits, Unix-socket echo) in one run.
        .target(name: "CBaseline", dependencies: ["CLMDB"], linkerSettings: [.linkedLibrary("lmdb")]),
        .testTarget(name: "CBaselineTests", dependencies: ["CBaseline", "LMDB", "ShixiangTestSupport"]),
        .executableTarget(name: "shixiang-bench", dependencies: [
            "CBaseline", "ShixiangClient", "ShixiangJSON", "Registry", "EventLog", "ShixiangCodes", "ShixiangElements", "ShixiangTestSupport", "RegistryArchive",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)
