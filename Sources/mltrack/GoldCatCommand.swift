import ArgumentParser
import GoldTables

extension RenderFormat: ExpressibleByArgument {}

/// `mltrack gold cat PATH --format jsonl|csv`: every row, streamed batch by batch.
struct GoldCatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat",
        abstract: "Stream every row of a table to standard output as JSON lines or CSV.",
        discussion: """
            Dates are YYYY-MM-DD; timestamps ISO-8601 with 6 fraction digits and Z for UTC columns; \
            decimals exact strings; binary base64; NaN and infinities as the JSON strings "NaN", \
            "Infinity", "-Infinity"; nested columns inlined as JSON.
            """
    )

    @OptionGroup var table: GoldTableOptions

    @Option(help: "Comma-separated columns to print, in this order (default: all).")
    var columns: String?

    @Option(help: "Output format: jsonl or csv.")
    var format: RenderFormat = .jsonl

    func validate() throws {
        if let c = columns, parseColumnList(c)?.isEmpty ?? true { throw ValidationError("--columns names no column.") }
    }

    func run() throws {
        let t = try table.open()
        let stream = try t.scan(columns: parseColumnList(columns))
        let renderer = TableRenderer(format: format)
        var out = StdoutWriter()
        out.write(renderer.header(stream.schema))
        var buf: [UInt8] = []
        while let batch = try stream.next() {
            buf.removeAll(keepingCapacity: true)
            renderer.append(batch, to: &buf)
            out.write(buf)
        }
        out.flush()
    }
}
