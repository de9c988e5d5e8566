import PolicyAudit

/// Renders the review as Markdown for repositories and pull-request comments: the same
/// sections and tables as the HTML, with each chart's figures as a table.
package struct ReviewMarkdownRenderer {
    package init() {}

    package func render(_ document: ReviewDocument) -> String {
        var out = "# \(document.title)\n\n"
        out += document.sections.map { "- [\($0.title)](#\($0.id))" }.joined(separator: "\n") + "\n"
        for section in document.sections {
            out += "\n<a id=\"\(section.id)\"></a>\n\n## \(section.title)\n"
            for block in section.blocks { render(block, level: 3, into: &out) }
        }
        return out
    }

    private func render(_ block: ReviewDocument.Block, level: Int, into out: inout String) {
        switch block {
        case .paragraph(let text):
            out += "\n\(MarkdownRenderer.escape(text))\n"
        case .facts(let facts):
            out += "\n" + facts.map { "- **\(MarkdownRenderer.escape($0.0))**: \(MarkdownRenderer.escape($0.1))" }.joined(separator: "\n") + "\n"
        case .list(let items):
            out += "\n" + items.map { "- \(MarkdownRenderer.escape($0))" }.joined(separator: "\n") + "\n"
        case .table(let table):
            render(table, into: &out)
        case .chart(let chart):
            out += "\n**\(MarkdownRenderer.escape(chart.title))**\n"
            var headers = ["", ] + chart.series.map(\.name)
            if chart.markers.contains(where: { $0 >= 0 }) { headers.append(chart.markerName) }
            let rows = chart.labels.enumerated().map { index, label in
                var row = [label] + chart.series.map { $0.values.indices.contains(index) ? SVGChartRenderer.number($0.values[index]) : "" }
                if chart.markers.contains(where: { $0 >= 0 }) {
                    row.append(chart.markers.indices.contains(index) && chart.markers[index] >= 0 ? SVGChartRenderer.number(chart.markers[index]) : "-")
                }
                return row
            }
            render(ReviewDocument.Table(headers: headers, rows: rows), into: &out)
        case .signatures(let parties):
            out += "\n" + parties.map { "- \($0): name ____________________  signature ____________________  date __________" }.joined(separator: "\n") + "\n"
        case .subsection(let title, _, let blocks):
            out += "\n\(String(repeating: "#", count: level)) \(MarkdownRenderer.escape(title))\n"
            for inner in blocks { render(inner, level: level + 1, into: &out) }
        }
    }

    private func render(_ table: ReviewDocument.Table, into out: inout String) {
        guard !table.rows.isEmpty else {
            out += "\n_None._\n"
            return
        }
        out += "\n| " + table.headers.map(cell).joined(separator: " | ") + " |\n"
        out += "|" + table.headers.map { _ in " --- |" }.joined() + "\n"
        for row in table.shownRows { out += "| " + row.map(cell).joined(separator: " | ") + " |\n" }
        if table.hiddenCount > 0 {
            out += "\n_… and \(table.hiddenCount) more row(s)\(table.fullListing.map { "; \($0) lists every one" } ?? "")._\n"
        }
    }

    private func cell(_ text: String) -> String {
        // Most cells need no escaping: looked at once, byte by byte, before any copy is made.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "|") || $0 == UInt8(ascii: "\n") })
        else { return text }
        return MarkdownRenderer.escape(text).replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
