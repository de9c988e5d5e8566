/// One problem with an input file, anchored to where it is.
package struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    package var location: SourceLocation
    package var message: String
    /// A concrete way to fix it ("did you mean 'privileges'?"), when one is known.
    package var fix: String?

    package init(_ location: SourceLocation, _ message: String, fix: String? = nil) {
        self.location = location
        self.message = message
        self.fix = fix
    }

    package var description: String {
        var text = location.isCommandLine ? "error: \(message)" : "\(location): error: \(message)"
        if let fix { text += " (\(fix))" }
        return text
    }
}

/// Input that could not be trusted or used: a policy, snapshot or argument that is invalid.
/// The command line maps it to exit code 2.
package struct InputError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]

    package init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    package init(_ location: SourceLocation, _ message: String, fix: String? = nil) {
        self.diagnostics = [Diagnostic(location, message, fix: fix)]
    }

    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
