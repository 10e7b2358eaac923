/// Evaluating a filter against a run, with the semantics of MLflow's SQL store:
///
/// - a run lacking the metric/param/tag (or with a nil attribute) matches no comparison on it,
///   not even `!=`; only `IS NULL` matches it;
/// - metrics compare their latest value as IEEE doubles: a NaN metric satisfies only `!=`
///   (MLflow's SQL store stores NaN with an `is_nan` flag and gives exactly that result);
/// - `=`/`!=`/`IN` compare strings byte-wise (no Unicode normalisation); `LIKE` is case-sensitive,
///   `ILIKE` case-insensitive; `%` and `_` are wildcards and there is no escape character;
/// - `datasets.*` match if any dataset input of the run matches.
///
/// ```swift
/// let filter = try RunFilter.parse("params.l2 = '1.0'")
/// filter.matches(run)
/// ```
extension RunFilter {
    public func matches(_ run: some SearchableRun) -> Bool {
        clauses.allSatisfy { $0.matches(run) }
    }
}

extension RunFilterClause {
    public func matches(_ run: some SearchableRun) -> Bool {
        switch entity {
        case .metric:
            guard case .number(let rhs) = value, let lhs = run.latestMetric(key) else { return false }
            return Self.compare(lhs, rhs, comparator)
        case .parameter:
            return matchString(run.param(key))
        case .tag:
            return matchString(run.tag(key))
        case .attribute:
            guard let attribute = RunAttribute(rawValue: key) else { return false }
            if attribute.isNumeric {
                guard case .number(let rhs) = value, let lhs = run.numericAttribute(attribute) else { return false }
                return Self.compare(Double(lhs), rhs, comparator)
            }
            return matchString(run.stringAttribute(attribute))
        case .dataset:
            guard let field = DatasetField(rawValue: key) else { return false }
            return run.datasetInputs.contains { input in
                switch field {
                case .name: return matchString(input.name)
                case .digest: return matchString(input.digest)
                case .context: return matchString(input.context)
                }
            }
        }
    }

    func matchString(_ lhs: String?) -> Bool {
        switch comparator {
        case .isNull: return lhs == nil
        case .isNotNull: return lhs != nil
        default: break
        }
        guard let lhs else { return false }
        switch (comparator, value) {
        case (.equal, .string(let rhs)): return lhs.utf8.elementsEqual(rhs.utf8)
        case (.notEqual, .string(let rhs)): return !lhs.utf8.elementsEqual(rhs.utf8)
        case (.like, .string(let rhs)): return LikePattern(rhs, caseInsensitive: false).matches(lhs)
        case (.ilike, .string(let rhs)): return LikePattern(rhs, caseInsensitive: true).matches(lhs)
        case (.in, .list(let items)): return items.contains { $0.utf8.elementsEqual(lhs.utf8) }
        case (.notIn, .list(let items)): return !items.contains { $0.utf8.elementsEqual(lhs.utf8) }
        default: return false
        }
    }

    static func compare(_ lhs: Double, _ rhs: Double, _ comparator: FilterComparator) -> Bool {
        switch comparator {
        case .equal: return lhs == rhs
        case .notEqual: return lhs != rhs
        case .greaterThan: return lhs > rhs
        case .greaterThanOrEqual: return lhs >= rhs
        case .lessThan: return lhs < rhs
        case .lessThanOrEqual: return lhs <= rhs
        default: return false
        }
    }
}
