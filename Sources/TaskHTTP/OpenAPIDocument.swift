/// The OpenAPI document (`GET /openapi.yaml`) and the page that shows it (`GET /docs`), which loads nothing
/// from elsewhere: a table of every operation followed by the whole document.
enum OpenAPIDocument {
    /// One operation of the document.
    struct Operation: Equatable {
        let method: String
        let path: String
        let summary: String
    }

    /// The operations, in document order, read from the YAML's `paths` section.
    static let operations: [Operation] = {
        var result: [Operation] = []
        var path: String?
        var inPaths = false
        var pending: (method: String, path: String)?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if !line.hasPrefix(" ") && !line.isEmpty { break }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let current = path, line.hasPrefix("    "), !line.hasPrefix("     "),
                let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" })
            {
                pending = (method.uppercased(), current)
            } else if let open = pending, line.hasPrefix("      summary: ") {
                var summary = String(line.dropFirst("      summary: ".count))
                if summary.hasPrefix("\""), summary.hasSuffix("\""), summary.count >= 2 {
                    summary = String(summary.dropFirst().dropLast())
                }
                result.append(Operation(method: open.method, path: open.path, summary: summary))
                pending = nil
            }
        }
        return result
    }()

    /// The `/docs` page.
    static let html: String = {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let rows = operations.map { operation in
            "<tr><td class=\"m\">\(operation.method)</td><td><code>\(escape(operation.path))</code></td><td>\(escape(operation.summary))</td></tr>"
        }.joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>taskd API</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2rem;max-width:72rem;color:#222}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
            .m{font-weight:bold;font-family:monospace}pre{background:#f6f6f6;padding:1rem;overflow:auto;font-size:.85rem}
            </style></head><body>
            <h1>taskd API</h1>
            <p>The OpenAPI 3.1 document is at <a href="/openapi.yaml">/openapi.yaml</a>. Every route below except the
            service routes and register, signup, login and refresh needs <code>Authorization: Bearer &lt;access_token&gt;</code>.</p>
            <table><thead><tr><th>Method</th><th>Path</th><th>What it does</th></tr></thead><tbody>
            \(rows)
            </tbody></table>
            <h2>Document</h2>
            <pre>\(escape(yaml))</pre>
            </body></html>
            """
    }()
}
