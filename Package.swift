// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "access-audit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "access-audit", targets: ["access-audit"]),
        .executable(name: "access-audit-export", targets: ["access-audit-export"]),
        .executable(name: "access-audit-bench", targets: ["access-audit-bench"]),
        .library(name: "AccessAuditKit", targets: ["AccessAuditKit"]),
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
        // The engine: snapshot and policy models, loaders, effective-access engine, rules,
        // evaluator and renderers. No networking, no NIO: the plugin's tool stays light.
        .target(
            name: "AccessAuditKit",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The command line (`access-audit`).
        .executableTarget(
            name: "access-audit",
            dependencies: [
                "AccessAuditKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The benchmark: each phase of check on synthetic snapshots, with peak memory.
        .executableTarget(
            name: "access-audit-bench",
            dependencies: ["AccessAuditKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // `swift package audit-access`: runs `access-audit check` in the consumer's package.
        .plugin(
            name: "AuditAccessPlugin",
            capability: .command(
                intent: .custom(verb: "audit-access", description: "Audit PostgreSQL permission snapshots against the package's least-privilege policy"),
                permissions: []),
            dependencies: ["access-audit"]
        ),
        // The exporter: reads a live server's catalogs (PostgresNIO). Its own targets, so the
        // audit executable and the plugin never link NIO.
        .target(
            name: "SnapshotExport",
            dependencies: [
                "AccessAuditKit",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "access-audit-export",
            dependencies: [
                "SnapshotExport", "AccessAuditKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test targets (running real binaries).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "AccessAuditKitTests",
            dependencies: [
                "AccessAuditKit",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        // Runs the real `access-audit` binary: exit codes, outputs, every command.
        .testTarget(
            name: "AccessAuditCLITests",
            dependencies: ["AccessAuditKit", "access-audit", "TestSupport"],
            exclude: ["Fixtures"]
        ),
        // Tests against throwaway PostgreSQL clusters: exporter, oracle, incident.
        .testTarget(
            name: "AccessAuditPostgresTests",
            dependencies: ["SnapshotExport", "AccessAuditKit", "access-audit-export", "access-audit", "TestSupport"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
