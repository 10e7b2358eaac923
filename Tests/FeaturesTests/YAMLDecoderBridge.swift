import Yams

/// Decodes YAML in tests through Yams, as an experiment spec reader would.
enum YAMLDecoderBridge {
    static func decode<T: Decodable>(_ type: T.Type, _ yaml: String) throws -> T {
        try YAMLDecoder().decode(type, from: yaml)
    }
}
