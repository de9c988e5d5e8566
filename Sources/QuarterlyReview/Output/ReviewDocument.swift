/// The review as a document of sections, tables and charts, independent of its format, so
/// `report.html` and `report.md` carry the same content.
package struct ReviewDocument: Sendable {
    /// A table; rows past `limit` are counted and pointed to the CSV that has them all.
    package struct Table: Sendable {
        package var headers: [String]
        package var rows: [[String]]
        /// Index of a column whose value is a severity (drawn as a badge in HTML).
        package var severityColumn: Int?
        package var limit: Int
        /// Where every row is, when the table is cut (`access.csv`).
        package var fullListing: String?

        package init(headers: [String], rows: [[String]], severityColumn: Int? = nil, limit: Int = 500, fullListing: String? = nil) {
            self.headers = headers
            self.rows = rows
            self.severityColumn = severityColumn
            self.limit = limit
            self.fullListing = fullListing
        }

        package var shownRows: ArraySlice<[String]> { rows.prefix(limit) }
        package var hiddenCount: Int { max(0, rows.count - limit) }
    }

    /// A bar chart's data; HTML draws it as inline SVG, Markdown as a table.
    package struct Chart: Sendable {
        package enum Style: Sendable {
            /// Bars stacked by series (severities per review).
            case stacked
            /// One bar per label with a marker at `markers[i]` (count against peer median).
            case barsWithMarker
            /// One bar per label.
            case bars
        }

        package var title: String
        package var style: Style
        package var labels: [String]
        package var series: [(name: String, values: [Double])]
        package var markers: [Double]
        package var markerName: String

        package init(title: String, style: Style, labels: [String], series: [(name: String, values: [Double])], markers: [Double] = [], markerName: String = "") {
            self.title = title
            self.style = style
            self.labels = labels
            self.series = series
            self.markers = markers
            self.markerName = markerName
        }
    }

    package enum Block: Sendable {
        case paragraph(String)
        /// Label: value pairs (the cover).
        case facts([(String, String)])
        case list([String])
        case table(Table)
        case chart(Chart)
        /// Blank sign-off lines for the named parties.
        case signatures([String])
        /// A collapsible part (one owner's worksheet); `open` when it starts expanded.
        case subsection(title: String, open: Bool, blocks: [Block])
    }

    package struct Section: Sendable {
        package var id: String
        package var title: String
        package var blocks: [Block]
        /// Whether the section starts expanded in HTML.
        package var open: Bool

        package init(id: String, title: String, blocks: [Block], open: Bool = true) {
            self.id = id
            self.title = title
            self.blocks = blocks
            self.open = open
        }
    }

    package var title: String
    package var sections: [Section]
}
