// swift-tools-version: 6.1
import PackageDescription

// Third-party products, named once.
let yams: Target.Dependency = .product(name: "Yams", package: "Yams")
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "access-audit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "access-audit", targets: ["access-audit"]),
        .executable(name: "access-audit-export", targets: ["access-audit-export"]),
        .executable(name: "access-audit-bench", targets: ["access-audit-bench"]),
        .plugin(name: "AuditAccessPlugin", targets: ["AuditAccessPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
    ],
    targets: [
        // The library, one module per stage of the data flow; each depends only on those before
        // it, so a back-edge is a compile error. None links networking or NIO: the plugin's tool
        // stays light. Not a product: the package's own executables and tests are its only users.
        //
        // Locations, typed input errors, suggestions, days, name patterns, CSV reading and
        // writing, JSON writing and locating, concurrency helpers.
        .target(name: "AuditSupport"),
        // The snapshot model and its strict, located reader (the exporter's only dependency here).
        .target(name: "SnapshotModel", dependencies: ["AuditSupport"]),
        // Effective access: the access graph, capabilities, reach queries, session logging.
        .target(name: "AccessEngine", dependencies: ["AuditSupport", "SnapshotModel"]),
        // The policy model and its YAML loader.
        .target(name: "AccessPolicy", dependencies: ["AuditSupport", "SnapshotModel", yams]),
        // Server logs read back into a summary of real use (pgaudit records).
        .target(name: "ServerUsage", dependencies: ["AuditSupport", "SnapshotModel"]),
        // The audit: evaluation, built-in checks, declared rules, CI renderers. What `check` needs.
        .target(name: "PolicyAudit", dependencies: ["AuditSupport", "SnapshotModel", "AccessEngine", "AccessPolicy", "ServerUsage", yams]),
        // The quarterly access review and its evidence pack.
        .target(
            name: "QuarterlyReview",
            dependencies: ["AuditSupport", "SnapshotModel", "AccessEngine", "AccessPolicy", "ServerUsage", "PolicyAudit"]
        ),
        // JSON Schemas of the policy and snapshot formats.
        .target(name: "FormatSchemas", dependencies: ["AuditSupport", "SnapshotModel", "AccessPolicy"]),
        // `init` and `test`: policies written from a snapshot, policy tests.
        .target(
            name: "PolicyAuthoring",
            dependencies: [
                "AuditSupport", "SnapshotModel", "AccessEngine", "AccessPolicy", "ServerUsage", "PolicyAudit", "FormatSchemas",
                yams,
            ]
        ),
        // A tool, not a product: synthetic snapshots for the benchmark and the tests.
        .target(name: "SyntheticSnapshots", dependencies: ["AuditSupport", "SnapshotModel"]),
        // What the `check` command is made of (its options, renderers' formats, the exit-code
        // runner), shared by `access-audit` and the plugin's check-only tool.
        .target(name: "AuditCommands", dependencies: ["AuditSupport", "SnapshotModel", "AccessPolicy", "ServerUsage", "PolicyAudit", argumentParser]),
        // The plugin's tool: `check` alone. Links neither the review, authoring nor schemas.
        .executableTarget(name: "access-audit-check", dependencies: ["AuditCommands", "AuditSupport", argumentParser]),
        // The command line (`access-audit`).
        .executableTarget(
            name: "access-audit",
            dependencies: [
                "AuditCommands", "AuditSupport", "SnapshotModel", "AccessEngine", "AccessPolicy", "ServerUsage", "PolicyAudit",
                "QuarterlyReview", "FormatSchemas", "PolicyAuthoring",
                argumentParser,
            ]
        ),
        // The benchmark: each phase of check on synthetic snapshots, with peak memory.
        .executableTarget(
            name: "access-audit-bench",
            dependencies: [
                "AuditSupport", "SnapshotModel", "AccessPolicy", "PolicyAudit", "QuarterlyReview", "SyntheticSnapshots",
                argumentParser,
            ]
        ),
        // `swift package audit-access`: runs `access-audit check` in the consumer's package.
        .plugin(
            name: "AuditAccessPlugin",
            capability: .command(
                intent: .custom(verb: "audit-access", description: "Audit PostgreSQL permission snapshots against the package's least-privilege policy"),
                permissions: []),
            dependencies: ["access-audit-check"]
        ),
        // The exporter: reads a live server's catalogs (PostgresNIO). Its own targets, so the
        // audit executable and the plugin never link NIO.
        .target(
            name: "SnapshotExport",
            dependencies: [
                "SnapshotModel",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "access-audit-export", dependencies: ["SnapshotExport", "AuditSupport", argumentParser]),
        // Helpers shared by the test targets (running real binaries).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "AccessAuditKitTests",
            dependencies: [
                "AuditSupport", "SnapshotModel", "AccessEngine", "AccessPolicy", "ServerUsage", "PolicyAudit",
                "QuarterlyReview", "FormatSchemas", "PolicyAuthoring", "SyntheticSnapshots",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // Runs the real `access-audit` binary: exit codes, outputs, every command.
        .testTarget(
            name: "AccessAuditCLITests",
            dependencies: ["AuditSupport", "SnapshotModel", "PolicyAudit", "access-audit", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        // Tests against throwaway PostgreSQL clusters: exporter, oracle, incident.
        .testTarget(
            name: "AccessAuditPostgresTests",
            dependencies: ["SnapshotExport", "access-audit-export", "access-audit", "TestSupport"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
