/// One lexical token of a search filter or order-by string, with its 0-based character offset.
///
/// ```swift
/// let tokens = try FilterTokenizer.tokenize("metrics.auc > 0.8")
/// // [.identifier(["metrics", "auc"]) @0, .comparison(">") @12, .number(0.8, "0.8") @14]
/// ```
public struct FilterToken: Sendable, Hashable {
    /// What the token is.
    public enum Kind: Sendable, Hashable {
        /// A dotted name: `metrics.auc`, ``tags.`mlflow.source.type` ``, `status`, `AND`.
        /// `segments` are split at the first dot only (`entity`, rest); `quoted` tells whether
        /// any segment was written in quotes (a quoted word is never a keyword).
        case identifier(segments: [String], quoted: Bool)
        /// A quoted string: `'a'` or `"a"`; the text between the quotes, verbatim.
        case string(String, quote: Character)
        /// A bare number: `1`, `-0.5`, `.5`, `1e3`; `isInteger` when written without `.`/exponent.
        case number(Double, isInteger: Bool)
        /// `=`, `!=`, `<`, `<=`, `>`, `>=`, and the SQL spellings MLflow tokenizes but rejects (`==`, `<>`).
        case comparison(String)
        case leftParen
        case rightParen
        case comma
    }

    public var kind: Kind
    /// The token as written in the input.
    public var text: String
    /// 0-based offset (in characters) of the token's first character.
    public var position: Int

    public init(kind: Kind, text: String, position: Int) {
        self.kind = kind
        self.text = text
        self.position = position
    }

    /// The keyword this token spells (upper-cased), if it is a bare unquoted word.
    var keyword: String? {
        if case .identifier(let segments, let quoted) = kind, !quoted, segments.count == 1 {
            return segments[0].uppercased()
        }
        return nil
    }
}
