enum OpenAPIDocument { static let yaml = ""; static let html = "" }
