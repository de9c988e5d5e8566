// swift-tools-version: 6.1
// A package that keeps its access policy next to its code and gates on it with
// `swift package audit-access`. The test copies it and points the dependency at this checkout.
import PackageDescription

let package = Package(
    name: "SupportService",
    dependencies: [
        .package(path: "ACCESS_AUDIT_PACKAGE_PATH"),
    ],
    targets: [
        .target(name: "SupportService"),
    ]
)
