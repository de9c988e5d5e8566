import PolicyAudit

/// Draws a review chart as inline SVG: no script, no external font or image, so the HTML
/// stays one self-contained file that prints as it shows.
package struct SVGChartRenderer {
    package static let width = 720.0
    static let palette: [String: String] = [
        "critical": "#8b1a1a", "high": "#d9480f", "medium": "#f2a900", "low": "#4c8eda", "info": "#9aa5b1",
        "KEEP": "#2f9e44", "REVOKE": "#c92a2a", "EXCEPTION": "#f08c00", "undecided": "#9aa5b1",
    ]
    static let defaultColor = "#3b5bdb"

    package init() {}

    package func render(_ chart: ReviewDocument.Chart) -> String {
        switch chart.style {
        case .stacked: stacked(chart)
        case .bars, .barsWithMarker: horizontal(chart)
        }
    }

    /// Vertical stacked bars: one per label (review), one segment per series (severity).
    func stacked(_ chart: ReviewDocument.Chart) -> String {
        let height = 260.0, left = 48.0, bottom = 40.0, top = 36.0, right = 140.0
        let totals = chart.labels.indices.map { index in chart.series.reduce(0) { $0 + ($1.values.indices.contains(index) ? $1.values[index] : 0) } }
        let maximum = max(1, totals.max() ?? 1)
        let plotWidth = Self.width - left - right, plotHeight = height - top - bottom
        let slot = plotWidth / Double(max(1, chart.labels.count))
        let barWidth = min(60, slot * 0.6)
        var out = open(chart, height: height)
        out += axis(left: left, top: top, plotWidth: plotWidth, plotHeight: plotHeight, maximum: maximum)
        for (index, label) in chart.labels.enumerated() {
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            var y = top + plotHeight
            for series in chart.series {
                let value = series.values.indices.contains(index) ? series.values[index] : 0
                guard value > 0 else { continue }
                let h = plotHeight * value / maximum
                y -= h
                out += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barWidth))\" height=\"\(f(h))\" fill=\"\(color(series.name))\"><title>\(Markup.escape("\(label): \(Int(value)) \(series.name)"))</title></rect>"
            }
            out += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(top + plotHeight - plotHeight * totals[index] / maximum - 4))\" text-anchor=\"middle\" font-size=\"11\">\(Int(totals[index]))</text>"
            out += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(height - bottom + 16))\" text-anchor=\"middle\" font-size=\"11\">\(Markup.escape(label))</text>"
        }
        for (index, series) in chart.series.enumerated() {
            let y = top + 14 * Double(index)
            out += "<rect x=\"\(f(Self.width - right + 16))\" y=\"\(f(y))\" width=\"10\" height=\"10\" fill=\"\(color(series.name))\"/>"
            out += "<text x=\"\(f(Self.width - right + 32))\" y=\"\(f(y + 9))\" font-size=\"11\">\(Markup.escape(series.name))</text>"
        }
        return out + "</svg>"
    }

    /// Horizontal bars, one per label, with an optional marker per bar (the peer median).
    func horizontal(_ chart: ReviewDocument.Chart) -> String {
        let values = chart.series.first?.values ?? []
        let rowHeight = 20.0, left = 200.0, top = 36.0, right = 60.0
        let height = top + rowHeight * Double(max(1, chart.labels.count)) + 30
        let maximum = max(1, (values + chart.markers).max() ?? 1)
        let plotWidth = Self.width - left - right
        var out = open(chart, height: height)
        if chart.labels.isEmpty {
            out += "<text x=\"\(f(left))\" y=\"\(f(top + 14))\" font-size=\"12\">nothing to show</text>"
        }
        for (index, label) in chart.labels.enumerated() {
            let y = top + rowHeight * Double(index)
            let value = values.indices.contains(index) ? values[index] : 0
            let w = plotWidth * value / maximum
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y + 13))\" text-anchor=\"end\" font-size=\"11\">\(Markup.escape(Self.clip(label)))</text>"
            out += "<rect x=\"\(f(left))\" y=\"\(f(y + 3))\" width=\"\(f(max(w, 1)))\" height=\"\(f(rowHeight - 6))\" fill=\"\(color(label))\"><title>\(Markup.escape("\(label): \(Self.number(value))"))</title></rect>"
            out += "<text x=\"\(f(left + w + 4))\" y=\"\(f(y + 13))\" font-size=\"11\">\(Self.number(value))</text>"
            if chart.markers.indices.contains(index), chart.markers[index] >= 0 {
                let mx = left + plotWidth * chart.markers[index] / maximum
                out += "<line x1=\"\(f(mx))\" x2=\"\(f(mx))\" y1=\"\(f(y + 1))\" y2=\"\(f(y + rowHeight - 1))\" stroke=\"#111\" stroke-width=\"2\"><title>\(Markup.escape("\(chart.markerName): \(Self.number(chart.markers[index]))"))</title></line>"
            }
        }
        if chart.style == .barsWithMarker, chart.markers.contains(where: { $0 >= 0 }) {
            out += "<line x1=\"\(f(left))\" x2=\"\(f(left + 14))\" y1=\"\(f(height - 12))\" y2=\"\(f(height - 12))\" stroke=\"#111\" stroke-width=\"2\"/>"
            out += "<text x=\"\(f(left + 20))\" y=\"\(f(height - 8))\" font-size=\"11\">\(Markup.escape(chart.markerName))</text>"
        }
        return out + "</svg>"
    }

    private func open(_ chart: ReviewDocument.Chart, height: Double) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(f(Self.width)) \(f(height))\" width=\"\(f(Self.width))\" height=\"\(f(height))\" font-family=\"sans-serif\">"
            + "<title>\(Markup.escape(chart.title))</title>"
            + "<text x=\"0\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(Markup.escape(chart.title))</text>"
    }

    private func axis(left: Double, top: Double, plotWidth: Double, plotHeight: Double, maximum: Double) -> String {
        var out = "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotHeight))\" stroke=\"#555\"/>"
        out += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(top + plotHeight))\" y2=\"\(f(top + plotHeight))\" stroke=\"#555\"/>"
        out += "<text x=\"\(f(left - 6))\" y=\"\(f(top + 4))\" text-anchor=\"end\" font-size=\"10\">\(Int(maximum))</text>"
        out += "<text x=\"\(f(left - 6))\" y=\"\(f(top + plotHeight))\" text-anchor=\"end\" font-size=\"10\">0</text>"
        return out
    }

    private func color(_ name: String) -> String { Self.palette[name] ?? Self.defaultColor }
    private func f(_ value: Double) -> String { Self.number((value * 10).rounded() / 10) }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    static func clip(_ label: String) -> String { label.count > 30 ? String(label.prefix(29)) + "…" : label }
}
