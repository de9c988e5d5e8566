// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "access-audit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "access-audit", targets: ["access-audit"]),
        .library(name: "AccessAuditKit", targets: ["AccessAuditKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
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
            dependencies: ["AccessAuditKit", "access-audit"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
