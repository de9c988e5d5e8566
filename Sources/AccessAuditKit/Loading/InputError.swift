/// One problem with an input file, anchored to where it is.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String
    /// A concrete way to fix it ("did you mean 'privileges'?"), when one is known.
    public var fix: String?

    public init(_ location: SourceLocation, _ message: String, fix: String? = nil) {
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var description: String {
        var text = "\(location): error: \(message)"
        if let fix { text += " (\(fix))" }
        return text
    }
}

/// Input that could not be trusted or used: a policy, snapshot or argument that is invalid.
/// The command line maps it to exit code 2.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ location: SourceLocation, _ message: String, fix: String? = nil) {
        self.diagnostics = [Diagnostic(location, message, fix: fix)]
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
