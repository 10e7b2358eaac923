import Yams

/// One point of a sweep's grid: a fully resolved spec (no `sweep` section) and its label.
///
/// ```swift
/// for point in try spec.grid() { print(point.label, point.spec.trainer) }   // "c=0.1,factors=16" …
/// ```
public struct SweepPoint: Sendable, Hashable {
    /// `c=0.1,factors=16`: each axis's last key (the full path where two axes share it) and value.
    public var label: String
    /// The axis values, in axis order.
    public var assignments: [SpecOverride]
    public var spec: ExperimentSpec
}

extension ExperimentSpec {
    /// The grid of ``sweep`` (one point, labelled "", when there is no sweep): the cartesian
    /// product in axis order, the last axis varying fastest. Each point is the spec's tree with the
    /// point's values set, decoded strictly (an axis path the schema lacks, or a value of the wrong
    /// type, is an error naming `sweep.<path>` and the value).
    public func grid() throws -> [SweepPoint] {
        guard let sweep else { return [SweepPoint(label: "", assignments: [], spec: self)] }
        guard sweep.pointCount <= SweepSpec.maximumPoints else {
            throw ExperimentError(field: "sweep", "the grid has more than \(SweepSpec.maximumPoints) points")
        }
        guard var base = try Yams.compose(yaml: tree), case .mapping(let m) = base else {
            throw ExperimentError(field: "sweep", "the spec tree is missing")
        }
        base = SpecNode.removing(m, "sweep")
        let lastKeys = sweep.axes.map { a -> String in
            if case .key(let k)? = a.path.elements.last { return k }
            return a.path.description
        }
        let names = sweep.axes.enumerated().map { i, a in
            lastKeys.filter { $0 == lastKeys[i] }.count > 1 ? a.path.description : lastKeys[i]
        }
        var points: [SweepPoint] = []
        var index = [Int](repeating: 0, count: sweep.axes.count)
        while true {
            let sets = sweep.axes.enumerated().map { i, a in SpecOverride(path: a.path, value: a.values[index[i]]) }
            var tree = base
            for o in sets { tree = try o.apply(to: tree, file: nil) }
            var spec: ExperimentSpec
            do {
                spec = try Self.decode(tree, file: nil, featuresFile: nil, directory: directory, overrides: [])
                try Self.checkOverridesExist(sets, in: spec, file: nil)
            } catch let e as ExperimentError {
                let errPath = try? SpecPath(e.field)
                let o = sets.first { set in errPath.map { $0.starts(with: set.path) || set.path.starts(with: $0) } ?? false }
                throw ExperimentError(field: o.map { "sweep.\($0.path)" } ?? "sweep",
                                      "point \(sets.map(\.text).joined(separator: ", ")): \(e.field): \(e.message)")
            }
            spec.directory = directory
            spec.featuresFile = featuresFile
            spec.tree = (try? Yams.serialize(node: tree)) ?? ""
            let label = zip(names, sets).map { "\($0)=\($1.value.text)" }.joined(separator: ",")
            points.append(SweepPoint(label: label, assignments: sets, spec: spec))
            var axis = sweep.axes.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < sweep.axes[axis].values.count { break }
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { break }
        }
        return points
    }
}
