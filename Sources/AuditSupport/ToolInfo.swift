/// The tool's version, for outputs: findings, SARIF, the review's manifest, the exporter.
package enum ToolInfo {
    package static let version = "0.1.0"
}
