import AuditSupport
import SnapshotModel
import AccessPolicy
import PolicyAudit
import QuarterlyReview
import SyntheticSnapshots
import ArgumentParser
import Foundation

/// `access-audit-bench`: the audit's speed and memory at sizes S, M, L, XL, per phase.
/// Run it as a release build: `swift run -c release access-audit-bench`.
@main
struct Benchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-audit-bench",
        abstract: "Time each phase of check on synthetic snapshots (S 10k, M 100k, L 1M, XL 5M privilege rows) and print peak memory.")

    @Option(help: "Sizes to run, comma-separated (S, M, L, XL).")
    var sizes = "S,M"

    @Option(help: "Generator seed.")
    var seed: UInt64 = 1

    @Option(help: .hidden)
    var child: String?

    @Option(help: "Runs per size (same generated input); the run with the median total is printed, with the range of totals.")
    var runs = 3

    @Flag(help: "Time the quarterly review (access-audit report) instead of check.")
    var report = false

    @Flag(help: "Add capability roads to the synthetic organisation (ADMIN-only memberships of a provisioning role on every group, unpinned plpgsql definer functions), so the capability closure runs for every principal.")
    var capabilityRoads = false

    @Option(name: .customLong("write"), help: "Write the snapshot (snapshot.json) and policy files of the first size to this folder, and stop.")
    var writeFolder: String?

    func run() throws {
        if let writeFolder {
            guard let name = sizes.split(separator: ",").first.map(String.init), let size = SyntheticDatabase.Size(rawValue: name.uppercased()) else {
                throw ValidationError("unknown size \(sizes)")
            }
            let database = SyntheticDatabase(size: size, seed: seed)
            let folder = URL(fileURLWithPath: writeFolder)
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("policies"), withIntermediateDirectories: true)
            try JSONEncoder().encode(database.snapshot).write(to: folder.appendingPathComponent("snapshot.json"))
            for file in database.policyFiles {
                try Data(file.text.utf8).write(to: folder.appendingPathComponent("policies").appendingPathComponent(file.file))
            }
            print("wrote \(size.rawValue): \(database.privilegeRows) privilege rows, \(database.injectedViolations) injected violations")
            return
        }
        if let child {
            guard let size = SyntheticDatabase.Size(rawValue: child) else { throw ValidationError("unknown size \(child)") }
            guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
            print(report
                ? try Self.measureReport(size, seed: seed, capabilityRoads: capabilityRoads)
                : try Self.measure(size, seed: seed, runs: runs, capabilityRoads: capabilityRoads))
            return
        }
        let requested = sizes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        print(report
            ? "size | privilege rows | roles | tables | snapshot bytes | load ∥ s | SHA-256 s | review s | render s | total s | peak RSS MiB | items | worksheets | HTML KiB"
            : "size | privilege rows | roles | tables | snapshot bytes | decode s | policy s | graph s | evaluate s | JSON s | SARIF s | load ∥ s | total s | check/decode | peak RSS MiB | findings | slowest checks | totals of all runs")
        var previous: (Double, Double)?
        for name in requested {
            guard SyntheticDatabase.Size(rawValue: name) != nil else { throw ValidationError("unknown size \(name)") }
            // Each size in its own process, so peak memory is that size's alone.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            process.arguments = ["--child", name, "--seed", String(seed), "--runs", String(runs)] + (report ? ["--report"] : [])
                + (capabilityRoads ? ["--capability-roads"] : [])
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let line = output.trimmingCharacters(in: .whitespacesAndNewlines)
            print(line)
            let fields = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            let total = fields.dropFirst(report ? 9 : 12).first.flatMap(Double.init)
            let rows = fields.dropFirst().first.flatMap(Double.init)
            if let total, let rows, let (previousTotal, previousRows) = previous {
                print("  growth from the previous size: \(String(format: "%.1f", total / previousTotal))× the time for \(String(format: "%.1f", rows / previousRows))× the privilege rows")
            }
            previous = total.flatMap { t in rows.map { (t, $0) } }
        }
    }

    struct Measurement {
        var line: String
        var total: Double
    }

    /// `runs` measurements of check on one generated input: the median run's figures, and every
    /// run's total (a noisy machine shows as a wide range).
    static func measure(_ size: SyntheticDatabase.Size, seed: UInt64, runs: Int, capabilityRoads: Bool) throws -> String {
        let database = SyntheticDatabase(size: size, seed: seed, capabilityRoads: capabilityRoads)
        let data = try JSONEncoder().encode(database.snapshot)
        var measurements: [Measurement] = []
        for _ in 0..<runs { measurements.append(try measure(database, data)) }
        let sorted = measurements.sorted { $0.total < $1.total }
        let median = sorted[(sorted.count - 1) / 2]
        return median.line + " | " + (try slowestChecks(database, data)) + " | " + measurements.map { String(format: "%.2f", $0.total) }.joined(separator: ", ")
    }

    /// Where evaluation time goes: each check alone, one after another in a fresh context (a
    /// diagnostic outside the timed runs; check itself runs them in parallel).
    static func slowestChecks(_ database: SyntheticDatabase, _ data: Data) throws -> String {
        let snapshot = try SnapshotLoader().decode(data, file: "synthetic.json")
        let policy = try PolicyLoader().load(sources: database.policyFiles)
        let context = AuditContext(snapshot: snapshot, policy: policy, today: DayDate(timestamp: "2026-11-22") ?? DayDate(Date()))
        let clock = ContinuousClock()
        let perCheck = Auditor.checks.map { check in
            (type(of: check).description.id, seconds(clock.measure { _ = check.findings(in: context) }))
        }
        return "slowest checks (alone): " + perCheck.sorted { $0.1 > $1.1 }.prefix(3).map { "\($0.0) \(String(format: "%.2f", $0.1))s" }.joined(separator: ", ")
    }

    /// As `check` and `report` do (the same `ParallelLoading`): the snapshot is decoded while the
    /// policy is parsed (two threads); each is timed on its own thread, and the pair's wall time
    /// counts in the total.
    static func loadInParallel(_ data: Data, _ policyFiles: [(file: String, text: String)]) throws
        -> (Snapshot, Policy, Duration, Duration, Duration)
    {
        let clock = ContinuousClock()
        var loaded: ((Snapshot, Duration), (Policy, Duration))?
        let load = try clock.measure {
            loaded = try ParallelLoading.load(
                { () throws(InputError) in
                    let start = clock.now
                    let snapshot = try SnapshotLoader().decode(data, file: "synthetic.json")
                    return (snapshot, clock.now - start)
                },
                { () throws(InputError) in
                    let start = clock.now
                    let policy = try PolicyLoader().load(sources: policyFiles)
                    return (policy, clock.now - start)
                })
        }
        guard let ((snapshot, decodeTime), (policy, policyTime)) = loaded else { throw ValidationError("loading failed") }
        return (snapshot, policy, decodeTime, policyTime, load)
    }

    static func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }

    static func peakMiB() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024  // KiB on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576  // bytes on macOS
        #endif
    }

    /// The quarterly review at one size: load, digest, build, render the six files.
    static func measureReport(_ size: SyntheticDatabase.Size, seed: UInt64, capabilityRoads: Bool) throws -> String {
        let database = SyntheticDatabase(size: size, seed: seed, capabilityRoads: capabilityRoads)
        let data = try JSONEncoder().encode(database.snapshot)
        let clock = ContinuousClock()
        let (snapshot, policy, _, _, load) = try loadInParallel(data, database.policyFiles)
        var digest = ""
        let hashing = clock.measure { digest = SHA256.hex(of: data) }
        let today = DayDate(timestamp: "2026-11-22") ?? DayDate(Date())
        var review: AccessReview?
        let building = clock.measure {
            review = AccessReviewBuilder(
                snapshot: snapshot, policy: policy, today: today, policyRevision: "benchmark",
                inputs: [ReviewManifest.FileDigest(role: "snapshot", path: "synthetic.json", bytes: data.count, sha256: digest)]
            ).build()
        }
        guard let review else { throw ValidationError("review failed") }
        var output: ReviewOutput?
        let rendering = clock.measure { output = ReviewOutput(review: review, context: ReportContext(policy: policy)) }
        let html = output?.files.first { $0.name == "report.html" }?.content.utf8.count ?? 0
        let total = seconds(load) + seconds(hashing) + seconds(building) + seconds(rendering)
        return [
            size.rawValue, String(database.privilegeRows), String(snapshot.roles.count), String(snapshot.tables.count), String(data.count),
            String(format: "%.3f", seconds(load)), String(format: "%.3f", seconds(hashing)), String(format: "%.3f", seconds(building)),
            String(format: "%.3f", seconds(rendering)), String(format: "%.3f", total), String(format: "%.0f", peakMiB()),
            String(review.items.count), String(review.worksheets.count), String(html / 1024),
        ].joined(separator: " | ")
    }

    static func measure(_ database: SyntheticDatabase, _ data: Data) throws -> Measurement {
        let size = database.size
        let clock = ContinuousClock()
        let (snapshot, policy, decode, policyTime, load) = try loadInParallel(data, database.policyFiles)
        let today = DayDate(timestamp: "2026-11-22") ?? DayDate(Date())
        var context: AuditContext?
        let graph = clock.measure { context = AuditContext(snapshot: snapshot, policy: policy, today: today) }
        // As check runs them: every check, on the machine's cores, exceptions applied, sorted.
        var findings: [Finding] = []
        let evaluate = clock.measure {
            guard let context else { return }
            findings = Auditor(policy: policy, today: today).audit(context: context)
        }
        let result = AuditResult(findings: findings, failOn: .high, databases: [snapshot.database])
        let reportContext = ReportContext(policy: policy)
        var bytes = 0
        let json = clock.measure { bytes += FindingsJSONRenderer().render(result).utf8.count }
        let sarif = clock.measure { bytes += SARIFRenderer().render(result, context: reportContext).utf8.count }
        let total = seconds(load) + seconds(graph) + seconds(evaluate) + seconds(json) + seconds(sarif)
        let fields: [String] = [
            size.rawValue, String(database.privilegeRows), String(snapshot.roles.count), String(snapshot.tables.count), String(data.count),
            String(format: "%.3f", seconds(decode)), String(format: "%.3f", seconds(policyTime)), String(format: "%.3f", seconds(graph)),
            String(format: "%.3f", seconds(evaluate)), String(format: "%.3f", seconds(json)), String(format: "%.3f", seconds(sarif)),
            String(format: "%.3f", seconds(load)), String(format: "%.3f", total), String(format: "%.2f", total / max(seconds(decode), 1e-9)),
            String(format: "%.0f", peakMiB()), "\(findings.count) (\(database.injectedViolations) injected)",
        ]
        return Measurement(line: fields.joined(separator: " | "), total: total)
    }
}
